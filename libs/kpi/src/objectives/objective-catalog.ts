import type { BusinessModel, FunnelStage, LocalizedText } from '../domain';

/**
 * "Chasser plusieurs lièvres à la fois ne mène à rien" : the seed articles ask for one or two
 * objectives vital to the business, each measured by its own indicators. Past two, a kickoff
 * gets a warning rather than a refusal: the agency may have its reasons.
 */
export const MAX_VITAL_OBJECTIVES = 2;

/**
 * A monthly business report stays readable with about a dozen KPIs: a handful per funnel stage
 * (the seeds give "a minimum" per stage) for the one or two objectives above. Past it, a warning.
 */
export const RECOMMENDED_MAX_KPIS = 12;

/** Strategic objectives an agency discusses with its client at the kickoff. */
export const OBJECTIVE_KEYS = [
  'BRAND_AWARENESS',
  'E_REPUTATION',
  'GROW_CUSTOMER_BASE',
  'GENERATE_LEADS',
  'INCREASE_SALES',
  'RAISE_AVERAGE_BASKET',
  'IMPROVE_RETENTION',
  'INCREASE_REFERRALS',
  'LOWER_ACQUISITION_COST',
  'IMPROVE_SUPPORT',
] as const;
export type ObjectiveKey = (typeof OBJECTIVE_KEYS)[number];

/** How strongly a KPI measures an objective: 3 is the objective's own yardstick, 1 a supporting signal. */
export type MeasureWeight = 1 | 2 | 3;

export interface ObjectiveMeasure {
  readonly kpiKey: string;
  /** The KPI's funnel stage, repeated so that an objective reads as a funnel on its own. */
  readonly stage: FunnelStage;
  /** Business models for which this KPI measures the objective; omitted means all. */
  readonly businessModels?: readonly BusinessModel[];
  readonly weight: MeasureWeight;
  /** A short sentence a project manager can show the client. */
  readonly reason: LocalizedText;
}

export interface ObjectiveDefinition {
  readonly key: ObjectiveKey;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
  readonly measures: readonly ObjectiveMeasure[];
}

export const OBJECTIVE_CATALOG: readonly ObjectiveDefinition[] = [
  {
    key: 'BRAND_AWARENESS',
    name: { fr: 'Développer la notoriété', en: 'Build brand awareness' },
    description: {
      fr: 'Devenir une marque à laquelle la cible pense en premier (top of mind).',
      en: 'Become the brand the target thinks of first (top of mind).',
    },
    measures: [
      {
        kpiKey: 'branded_searches',
        stage: 'ACQUISITION',
        weight: 3,
        reason: {
          fr: 'Une marque top of mind, on la cherche par son nom.',
          en: 'People search for a top-of-mind brand by its name.',
        },
      },
      {
        kpiKey: 'social_reach',
        stage: 'ACQUISITION',
        weight: 2,
        reason: {
          fr: 'Combien de personnes ont vu la marque sur les réseaux sociaux.',
          en: 'How many people saw the brand on social networks.',
        },
      },
      {
        kpiKey: 'brand_mentions',
        stage: 'ACQUISITION',
        weight: 2,
        reason: {
          fr: 'On parle de la marque sans qu’elle paie pour cela.',
          en: 'People talk about the brand without it paying for it.',
        },
      },
      {
        kpiKey: 'share_of_voice',
        stage: 'ACQUISITION',
        weight: 2,
        reason: {
          fr: 'La place de la marque dans les conversations, face à ses concurrents.',
          en: 'The brand’s place in conversations, against its competitors.',
        },
      },
      {
        kpiKey: 'new_visitor_share',
        stage: 'ACQUISITION',
        weight: 1,
        reason: {
          fr: 'La notoriété amène des visiteurs qui ne connaissaient pas encore le site.',
          en: 'Awareness brings visitors who did not know the website yet.',
        },
      },
      {
        kpiKey: 'social_followers',
        stage: 'ACQUISITION',
        weight: 1,
        reason: {
          fr: 'Les abonnés forment l’audience que la marque touche sans payer.',
          en: 'Followers are the audience the brand reaches without paying.',
        },
      },
      {
        kpiKey: 'social_engagement_rate',
        stage: 'ENGAGEMENT',
        weight: 1,
        reason: {
          fr: 'Une audience qui réagit retient mieux la marque.',
          en: 'An audience that reacts remembers the brand better.',
        },
      },
    ],
  },
  {
    key: 'E_REPUTATION',
    name: { fr: 'Améliorer l’e-réputation', en: 'Improve online reputation' },
    description: {
      fr: 'Faire en sorte que ce qui se dit et s’écrit de la marque en ligne rassure les prospects.',
      en: 'Make what is said and written about the brand online reassure prospects.',
    },
    measures: [
      {
        kpiKey: 'average_review_rating',
        stage: 'REFERRAL',
        weight: 3,
        reason: {
          fr: 'La note que voit un prospect avant de choisir.',
          en: 'The rating a prospect sees before choosing.',
        },
      },
      {
        kpiKey: 'review_count',
        stage: 'REFERRAL',
        weight: 2,
        reason: {
          fr: 'Des avis nombreux et récents rendent la note crédible.',
          en: 'Many recent reviews make the rating credible.',
        },
      },
      {
        kpiKey: 'review_rate',
        stage: 'REFERRAL',
        weight: 2,
        reason: {
          fr: 'Combien de clients sollicités laissent vraiment un avis.',
          en: 'How many customers asked actually leave a review.',
        },
      },
      {
        kpiKey: 'nps',
        stage: 'REFERRAL',
        weight: 2,
        reason: {
          fr: 'Des clients prêts à recommander écrivent de bons avis.',
          en: 'Customers ready to recommend write good reviews.',
        },
      },
      {
        kpiKey: 'brand_mentions',
        stage: 'ACQUISITION',
        weight: 1,
        reason: {
          fr: 'Ce qui se dit de la marque en ligne, en bien comme en mal.',
          en: 'What is said about the brand online, good or bad.',
        },
      },
      {
        kpiKey: 'customer_satisfaction',
        stage: 'ENGAGEMENT',
        weight: 1,
        reason: {
          fr: 'Un client bien aidé par le support ne laisse pas d’avis négatif.',
          en: 'A customer well helped by support does not leave a negative review.',
        },
      },
    ],
  },
  {
    key: 'GROW_CUSTOMER_BASE',
    name: { fr: 'Développer le portefeuille clients', en: 'Grow the customer base' },
    description: {
      fr: 'Gagner plus de clients qu’on n’en perd, et conquérir une plus grande part du marché visé.',
      en: 'Win more customers than are lost, and win a larger share of the target market.',
    },
    measures: [
      {
        kpiKey: 'new_customers',
        stage: 'CONVERSION',
        weight: 3,
        reason: {
          fr: 'Le nombre de clients gagnés chaque mois, et sa croissance.',
          en: 'The number of customers won each month, and its growth.',
        },
      },
      {
        kpiKey: 'total_customers',
        stage: 'ENGAGEMENT',
        weight: 2,
        reason: {
          fr: 'La taille du portefeuille : clients gagnés moins clients partis.',
          en: 'The size of the portfolio: customers won minus customers gone.',
        },
      },
      {
        kpiKey: 'market_penetration_rate',
        stage: 'ACQUISITION',
        weight: 2,
        reason: {
          fr: 'La part du marché visé déjà conquise.',
          en: 'The share of the target market already won.',
        },
      },
      {
        kpiKey: 'ecommerce_conversion_rate',
        stage: 'CONVERSION',
        businessModels: ['ECOMMERCE'],
        weight: 2,
        reason: {
          fr: 'Combien de visites se transforment en commandes.',
          en: 'How many visits turn into orders.',
        },
      },
      {
        kpiKey: 'lead_to_customer_rate',
        stage: 'CONVERSION',
        businessModels: ['B2B_SERVICES', 'LEAD_GEN_LOCAL', 'SAAS'],
        weight: 2,
        reason: {
          fr: 'Combien de prospects deviennent clients.',
          en: 'How many prospects become customers.',
        },
      },
      {
        kpiKey: 'install_to_signup_rate',
        stage: 'CONVERSION',
        businessModels: ['MOBILE_APP'],
        weight: 2,
        reason: {
          fr: 'Combien d’installations deviennent des utilisateurs inscrits.',
          en: 'How many installs become registered users.',
        },
      },
      {
        kpiKey: 'free_acquisition_share',
        stage: 'ACQUISITION',
        weight: 1,
        reason: {
          fr: 'Des clients gagnés sans payer pour chacun font grandir la base durablement.',
          en: 'Customers won without paying for each one grow the base sustainably.',
        },
      },
      {
        kpiKey: 'churn_rate',
        stage: 'ENGAGEMENT',
        weight: 1,
        reason: {
          fr: 'La base ne grandit que si elle perd moins de clients qu’elle n’en gagne.',
          en: 'The base only grows if it loses fewer customers than it wins.',
        },
      },
    ],
  },
  {
    key: 'GENERATE_LEADS',
    name: { fr: 'Générer des leads', en: 'Generate leads' },
    description: {
      fr: 'Remplir la base de prospects qualifiés que l’équipe commerciale ou le marketing automation transformeront en clients.',
      en: 'Fill the database with qualified prospects that sales or marketing automation will turn into customers.',
    },
    measures: [
      {
        kpiKey: 'new_leads',
        stage: 'ACQUISITION',
        weight: 3,
        reason: {
          fr: 'Le nombre de prospects ajoutés en base chaque mois.',
          en: 'The number of prospects added to the database each month.',
        },
      },
      {
        kpiKey: 'visitor_to_lead_rate',
        stage: 'CONVERSION',
        weight: 3,
        reason: {
          fr: 'La part des visiteurs qui laissent leurs coordonnées.',
          en: 'The share of visitors who leave their details.',
        },
      },
      {
        kpiKey: 'phone_calls',
        stage: 'ACQUISITION',
        businessModels: ['LEAD_GEN_LOCAL'],
        weight: 3,
        reason: {
          fr: 'Pour une activité locale, l’appel est le lead.',
          en: 'For a local business, the call is the lead.',
        },
      },
      {
        kpiKey: 'signups',
        stage: 'ACQUISITION',
        businessModels: ['SAAS', 'MOBILE_APP'],
        weight: 3,
        reason: {
          fr: 'Pour un produit en ligne, chaque inscription est un lead.',
          en: 'For an online product, each sign-up is a lead.',
        },
      },
      {
        kpiKey: 'cost_per_lead',
        stage: 'ACQUISITION',
        weight: 2,
        reason: {
          fr: 'Ce que coûte chaque prospect obtenu.',
          en: 'What each prospect obtained costs.',
        },
      },
      {
        kpiKey: 'marketing_qualified_leads',
        stage: 'ACQUISITION',
        weight: 2,
        reason: {
          fr: 'Des leads mûrs, pas seulement nombreux.',
          en: 'Leads that are ready, not just numerous.',
        },
      },
      {
        kpiKey: 'lead_magnet_conversion_rate',
        stage: 'ACQUISITION',
        weight: 2,
        reason: {
          fr: 'Le lead magnet transforme les visiteurs en contacts.',
          en: 'The lead magnet turns visitors into contacts.',
        },
      },
      {
        kpiKey: 'lead_to_mql_rate',
        stage: 'CONVERSION',
        weight: 1,
        reason: {
          fr: 'La qualité des leads générés.',
          en: 'The quality of the leads generated.',
        },
      },
      {
        kpiKey: 'average_lead_potential',
        stage: 'CONVERSION',
        weight: 1,
        reason: {
          fr: 'La valeur des affaires que représentent les nouveaux leads.',
          en: 'The value of the deals the new leads represent.',
        },
      },
      {
        kpiKey: 'visitors',
        stage: 'ACQUISITION',
        weight: 1,
        reason: {
          fr: 'Plus de visiteurs qualifiés, plus de leads possibles.',
          en: 'More qualified visitors, more possible leads.',
        },
      },
    ],
  },
  {
    key: 'INCREASE_SALES',
    name: { fr: 'Augmenter les ventes', en: 'Increase sales' },
    description: {
      fr: 'Vendre plus, à des clients gagnés de façon rentable.',
      en: 'Sell more, to customers won profitably.',
    },
    measures: [
      {
        kpiKey: 'revenue',
        stage: 'REVENUE',
        weight: 3,
        reason: {
          fr: 'Le chiffre d’affaires, premier juge des ventes.',
          en: 'Revenue, the first judge of sales.',
        },
      },
      {
        kpiKey: 'ecommerce_conversion_rate',
        stage: 'CONVERSION',
        businessModels: ['ECOMMERCE'],
        weight: 3,
        reason: {
          fr: 'Chaque point de conversion gagné, ce sont plus de ventes sans plus de trafic.',
          en: 'Every conversion point gained means more sales without more traffic.',
        },
      },
      {
        kpiKey: 'trial_to_paid_rate',
        stage: 'CONVERSION',
        businessModels: ['SAAS'],
        weight: 3,
        reason: {
          fr: 'Chaque essai converti est un abonnement vendu.',
          en: 'Each converted trial is a subscription sold.',
        },
      },
      {
        kpiKey: 'mrr',
        stage: 'REVENUE',
        businessModels: ['SAAS'],
        weight: 3,
        reason: {
          fr: 'Pour un SaaS, les ventes se lisent dans le revenu récurrent.',
          en: 'For a SaaS, sales show in recurring revenue.',
        },
      },
      {
        kpiKey: 'sql_to_customer_rate',
        stage: 'CONVERSION',
        businessModels: ['B2B_SERVICES'],
        weight: 3,
        reason: {
          fr: 'La part des opportunités que l’équipe commerciale signe.',
          en: 'The share of opportunities the sales team signs.',
        },
      },
      {
        kpiKey: 'lead_to_customer_rate',
        stage: 'CONVERSION',
        businessModels: ['LEAD_GEN_LOCAL'],
        weight: 3,
        reason: {
          fr: 'Combien de demandes deviennent des ventes.',
          en: 'How many requests become sales.',
        },
      },
      {
        kpiKey: 'average_order_value',
        stage: 'REVENUE',
        businessModels: ['ECOMMERCE'],
        weight: 2,
        reason: {
          fr: 'Vendre plus à chaque commande augmente le chiffre d’affaires.',
          en: 'Selling more per order raises revenue.',
        },
      },
      {
        kpiKey: 'cart_abandonment_rate',
        stage: 'CONVERSION',
        businessModels: ['ECOMMERCE'],
        weight: 2,
        reason: {
          fr: 'Un panier abandonné est une vente presque faite.',
          en: 'An abandoned cart is a sale almost made.',
        },
      },
      {
        kpiKey: 'customer_acquisition_cost',
        stage: 'ACQUISITION',
        weight: 2,
        reason: {
          fr: 'Une vente rentable coûte moins à obtenir que ce que le client dépense.',
          en: 'A profitable sale costs less to win than what the customer spends.',
        },
      },
      {
        kpiKey: 'new_customers',
        stage: 'CONVERSION',
        weight: 2,
        reason: {
          fr: 'Les ventes viennent aussi de nouveaux clients.',
          en: 'Sales also come from new customers.',
        },
      },
      {
        kpiKey: 'roas',
        stage: 'REVENUE',
        weight: 2,
        reason: {
          fr: 'Ce que rapporte chaque euro dépensé en publicité.',
          en: 'What each euro spent on advertising brings back.',
        },
      },
      {
        kpiKey: 'email_revenue_share',
        stage: 'REVENUE',
        weight: 1,
        reason: {
          fr: 'Les séquences e-mail automatisées vendent sans effort supplémentaire.',
          en: 'Automated e-mail sequences sell with no extra effort.',
        },
      },
    ],
  },
  {
    key: 'RAISE_AVERAGE_BASKET',
    name: { fr: 'Augmenter le panier moyen', en: 'Raise the average basket' },
    description: {
      fr: 'Faire dépenser plus à chaque client, par la vente croisée, la vente incitative et les offres par palier.',
      en: 'Make each customer spend more, through cross-selling, upselling and tiered offers.',
    },
    measures: [
      {
        kpiKey: 'average_order_value',
        stage: 'REVENUE',
        businessModels: ['ECOMMERCE'],
        weight: 3,
        reason: {
          fr: 'Le panier moyen lui-même, qui doit croître en permanence.',
          en: 'The average basket itself, which should keep growing.',
        },
      },
      {
        kpiKey: 'average_revenue_per_account',
        stage: 'REVENUE',
        businessModels: ['SAAS'],
        weight: 3,
        reason: {
          fr: 'Pour un SaaS, le panier moyen est le revenu mensuel par compte.',
          en: 'For a SaaS, the average basket is the monthly revenue per account.',
        },
      },
      {
        kpiKey: 'cross_upsell_revenue_share',
        stage: 'REVENUE',
        weight: 3,
        reason: {
          fr: 'Ce que rapportent la vente croisée et la vente incitative.',
          en: 'What cross-selling and upselling bring.',
        },
      },
      {
        kpiKey: 'cross_upsell_order_share',
        stage: 'REVENUE',
        weight: 2,
        reason: {
          fr: 'Les recommandations de produits ajoutent des articles au panier.',
          en: 'Product recommendations add items to the basket.',
        },
      },
      {
        kpiKey: 'upsell_opportunity_conversion_rate',
        stage: 'REVENUE',
        weight: 2,
        reason: {
          fr: 'La part des propositions de montée en gamme acceptées.',
          en: 'The share of upgrade proposals accepted.',
        },
      },
      {
        kpiKey: 'average_revenue_per_customer',
        stage: 'REVENUE',
        weight: 2,
        reason: {
          fr: 'Ce que rapporte chaque client sur la période.',
          en: 'What each customer brings over the period.',
        },
      },
    ],
  },
  {
    key: 'IMPROVE_RETENTION',
    name: { fr: 'Fidéliser les clients', en: 'Improve customer retention' },
    description: {
      fr: 'Garder ses clients plus longtemps : obtenir un client coûte plus cher que de le garder.',
      en: 'Keep customers longer: winning a customer costs more than keeping one.',
    },
    measures: [
      {
        kpiKey: 'churn_rate',
        stage: 'ENGAGEMENT',
        weight: 3,
        reason: {
          fr: 'La part des clients perdus chaque mois.',
          en: 'The share of customers lost each month.',
        },
      },
      {
        kpiKey: 'retention_rate',
        stage: 'ENGAGEMENT',
        weight: 3,
        reason: {
          fr: 'La capacité à garder ses clients d’un mois sur l’autre.',
          en: 'The ability to keep customers from one month to the next.',
        },
      },
      {
        kpiKey: 'repeat_purchase_rate',
        stage: 'ENGAGEMENT',
        businessModels: ['ECOMMERCE', 'LEAD_GEN_LOCAL'],
        weight: 3,
        reason: {
          fr: 'Des clients qui reviennent acheter sont des clients fidèles.',
          en: 'Customers who come back to buy are loyal customers.',
        },
      },
      {
        kpiKey: 'inactive_customer_share',
        stage: 'ENGAGEMENT',
        weight: 2,
        reason: {
          fr: 'Les clients inactifs sont ceux qu’une relance peut encore retenir.',
          en: 'Inactive customers are the ones a reactivation can still keep.',
        },
      },
      {
        kpiKey: 'net_revenue_retention',
        stage: 'ENGAGEMENT',
        weight: 2,
        reason: {
          fr: 'Le revenu gardé auprès des clients existants, montées en gamme comprises.',
          en: 'Revenue kept from existing customers, upgrades included.',
        },
      },
      {
        kpiKey: 'stickiness',
        stage: 'ENGAGEMENT',
        weight: 2,
        reason: {
          fr: 'Un produit utilisé chaque jour est rarement abandonné.',
          en: 'A product used every day is rarely abandoned.',
        },
      },
      {
        kpiKey: 'activation_rate',
        stage: 'CONVERSION',
        weight: 2,
        reason: {
          fr: 'Un utilisateur qui a vu la valeur du produit reste.',
          en: 'A user who has seen the product’s value stays.',
        },
      },
      {
        kpiKey: 'customer_lifetime_value',
        stage: 'REVENUE',
        weight: 2,
        reason: {
          fr: 'Un client gardé plus longtemps rapporte plus.',
          en: 'A customer kept longer brings more.',
        },
      },
      {
        kpiKey: 'revenue_churn_rate',
        stage: 'ENGAGEMENT',
        weight: 1,
        reason: {
          fr: 'Le revenu perdu par résiliations et baisses de gamme.',
          en: 'Revenue lost through cancellations and downgrades.',
        },
      },
      {
        kpiKey: 'email_open_rate',
        stage: 'ENGAGEMENT',
        weight: 1,
        reason: {
          fr: 'Des e-mails ouverts gardent le lien avec les clients.',
          en: 'Opened e-mails keep the link with customers.',
        },
      },
      {
        kpiKey: 'nps',
        stage: 'REFERRAL',
        weight: 1,
        reason: {
          fr: 'Un client qui recommande est un client qui reste.',
          en: 'A customer who recommends is a customer who stays.',
        },
      },
    ],
  },
  {
    key: 'INCREASE_REFERRALS',
    name: { fr: 'Développer la recommandation', en: 'Increase referrals' },
    description: {
      fr: 'Faire des clients satisfaits les meilleurs apporteurs de nouveaux clients, par le bouche-à-oreille ou le parrainage.',
      en: 'Make satisfied customers the best source of new customers, by word of mouth or referral.',
    },
    measures: [
      {
        kpiKey: 'nps',
        stage: 'REFERRAL',
        weight: 3,
        reason: {
          fr: 'La propension des clients à recommander la marque.',
          en: 'How likely customers are to recommend the brand.',
        },
      },
      {
        kpiKey: 'referral_rate',
        stage: 'REFERRAL',
        weight: 3,
        reason: {
          fr: 'La part des nouveaux clients venus par recommandation.',
          en: 'The share of new customers who came through a recommendation.',
        },
      },
      {
        kpiKey: 'invitations_per_customer',
        stage: 'REFERRAL',
        weight: 2,
        reason: {
          fr: 'Combien les clients font vivre le programme de parrainage.',
          en: 'How much customers use the referral programme.',
        },
      },
      {
        kpiKey: 'referral_invitation_conversion_rate',
        stage: 'REFERRAL',
        weight: 2,
        reason: {
          fr: 'L’efficacité des invitations envoyées par les parrains.',
          en: 'How well the invitations sent by referrers work.',
        },
      },
      {
        kpiKey: 'referral_signups',
        stage: 'REFERRAL',
        weight: 2,
        reason: {
          fr: 'Les inscriptions apportées par les parrains.',
          en: 'The sign-ups brought by referrers.',
        },
      },
      {
        kpiKey: 'average_review_rating',
        stage: 'REFERRAL',
        weight: 1,
        reason: {
          fr: 'De bons avis rassurent les personnes recommandées.',
          en: 'Good reviews reassure the people referred.',
        },
      },
    ],
  },
  {
    key: 'LOWER_ACQUISITION_COST',
    name: { fr: 'Réduire le coût d’acquisition', en: 'Lower acquisition cost' },
    description: {
      fr: 'Dépenser moins pour acquérir un client que ce qu’il dépense, en rendant chaque euro marketing plus efficace.',
      en: 'Spend less to acquire a customer than they spend, by making each marketing euro more effective.',
    },
    measures: [
      {
        kpiKey: 'customer_acquisition_cost',
        stage: 'ACQUISITION',
        weight: 3,
        reason: {
          fr: 'Ce que coûte chaque nouveau client.',
          en: 'What each new customer costs.',
        },
      },
      {
        kpiKey: 'cost_per_lead',
        stage: 'ACQUISITION',
        weight: 3,
        reason: {
          fr: 'Ce que coûte chaque prospect.',
          en: 'What each prospect costs.',
        },
      },
      {
        kpiKey: 'cost_per_click',
        stage: 'ACQUISITION',
        weight: 2,
        reason: {
          fr: 'Le prix payé pour chaque visite publicitaire.',
          en: 'The price paid for each ad visit.',
        },
      },
      {
        kpiKey: 'cost_per_acquisition',
        stage: 'ACQUISITION',
        weight: 2,
        reason: {
          fr: 'Le coût publicitaire de chaque conversion.',
          en: 'The advertising cost of each conversion.',
        },
      },
      {
        kpiKey: 'free_acquisition_share',
        stage: 'ACQUISITION',
        weight: 2,
        reason: {
          fr: 'Plus de clients gagnés sans payer, moins de dépense par client.',
          en: 'More customers won without paying, less spending per customer.',
        },
      },
      {
        kpiKey: 'roas',
        stage: 'REVENUE',
        weight: 2,
        reason: {
          fr: 'Un meilleur retour par euro de publicité fait baisser le coût d’acquisition.',
          en: 'A better return per advertising euro lowers the acquisition cost.',
        },
      },
      {
        kpiKey: 'ltv_to_cac_ratio',
        stage: 'REVENUE',
        weight: 2,
        reason: {
          fr: 'Le coût d’acquisition se juge face à ce que rapporte le client.',
          en: 'The acquisition cost is judged against what the customer brings.',
        },
      },
      {
        kpiKey: 'organic_traffic_share',
        stage: 'ACQUISITION',
        weight: 1,
        reason: {
          fr: 'Le référencement naturel amène des visiteurs sans payer chaque clic.',
          en: 'Organic search brings visitors without paying for each click.',
        },
      },
      {
        kpiKey: 'ad_click_through_rate',
        stage: 'ACQUISITION',
        weight: 1,
        reason: {
          fr: 'Une annonce plus cliquée coûte souvent moins cher par clic.',
          en: 'An ad that gets more clicks often costs less per click.',
        },
      },
      {
        kpiKey: 'ecommerce_conversion_rate',
        stage: 'CONVERSION',
        businessModels: ['ECOMMERCE'],
        weight: 1,
        reason: {
          fr: 'Mieux convertir le même trafic fait baisser le coût de chaque vente.',
          en: 'Converting the same traffic better lowers the cost of each sale.',
        },
      },
    ],
  },
  {
    key: 'IMPROVE_SUPPORT',
    name: { fr: 'Améliorer le support client', en: 'Improve customer support' },
    description: {
      fr: 'Répondre plus vite et mieux aux clients, pour leur satisfaction et leur fidélité.',
      en: 'Answer customers faster and better, for their satisfaction and loyalty.',
    },
    measures: [
      {
        kpiKey: 'first_response_time',
        stage: 'ENGAGEMENT',
        weight: 3,
        reason: {
          fr: 'Le temps qu’attend un client avant qu’on lui réponde.',
          en: 'How long a customer waits before getting an answer.',
        },
      },
      {
        kpiKey: 'sla_compliance_rate',
        stage: 'ENGAGEMENT',
        weight: 3,
        reason: {
          fr: 'La part des demandes traitées dans le délai promis.',
          en: 'The share of requests handled within the promised delay.',
        },
      },
      {
        kpiKey: 'customer_satisfaction',
        stage: 'ENGAGEMENT',
        weight: 3,
        reason: {
          fr: 'Ce que les clients pensent de l’aide reçue.',
          en: 'What customers think of the help they received.',
        },
      },
      {
        kpiKey: 'resolution_time',
        stage: 'ENGAGEMENT',
        weight: 2,
        reason: {
          fr: 'Le temps qu’il faut pour régler un problème.',
          en: 'How long it takes to solve a problem.',
        },
      },
      {
        kpiKey: 'tickets_per_customer',
        stage: 'ENGAGEMENT',
        weight: 2,
        reason: {
          fr: 'Moins de demandes par client, c’est un produit plus simple.',
          en: 'Fewer requests per customer means a simpler product.',
        },
      },
      {
        kpiKey: 'support_tickets',
        stage: 'ENGAGEMENT',
        weight: 1,
        reason: {
          fr: 'Le volume de demandes que le support doit absorber.',
          en: 'The volume of requests support has to absorb.',
        },
      },
      {
        kpiKey: 'nps',
        stage: 'REFERRAL',
        weight: 1,
        reason: {
          fr: 'Un bon support se retrouve dans la recommandation.',
          en: 'Good support shows in recommendation.',
        },
      },
    ],
  },
];

const OBJECTIVES_BY_KEY: ReadonlyMap<string, ObjectiveDefinition> = new Map(OBJECTIVE_CATALOG.map((objective) => [objective.key, objective]));

/** The catalog objective with this key, or undefined. */
export function findObjective(key: string): ObjectiveDefinition | undefined {
  return OBJECTIVES_BY_KEY.get(key);
}

export function isObjectiveKey(key: string): key is ObjectiveKey {
  return OBJECTIVES_BY_KEY.has(key);
}
