import type { LocalizedText, MetricAggregation, MetricUnit } from '../domain';

/**
 * A raw measure imported per client, day (or week, month) and source. KPIs are formulas over
 * these keys. Averages and ratios are never metrics: they are stored as their numerator and
 * denominator and divided at KPI level, so that a month's value is computed from the month's
 * sums and never averaged from daily ratios.
 */
export interface MetricDefinition {
  readonly key: string;
  readonly name: LocalizedText;
  readonly description: LocalizedText;
  readonly unit: MetricUnit;
  /** SUM for flows (what happened during the period), LAST for stocks (a level at the end of it). */
  readonly aggregation: MetricAggregation;
  /** Tools the seed articles use to read this metric; a spreadsheet import is always possible. */
  readonly sources: readonly string[];
}

// Tool names as the tools spell them: they are shown as-is in the import screens.
const GA4 = 'Google Analytics 4';
const SEARCH_CONSOLE = 'Google Search Console';
const STRIPE = 'Stripe';
const SHOPIFY = 'Shopify';
const WOOCOMMERCE = 'WooCommerce';
const PRESTASHOP = 'PrestaShop';
const HUBSPOT = 'HubSpot';
const PIPEDRIVE = 'Pipedrive';
const KLAVIYO = 'Klaviyo';
const ACTIVECAMPAIGN = 'ActiveCampaign';
const MAILCHIMP = 'Mailchimp';
const MAUTIC = 'Mautic';
const GOOGLE_ADS = 'Google Ads';
const META_ADS = 'Meta Ads';
const LINKEDIN_ADS = 'LinkedIn Ads';
const AGORAPULSE = 'Agorapulse';
const META_BUSINESS_SUITE = 'Meta Business Suite';
const HOTJAR = 'Hotjar';
const TRUSTPILOT = 'Trustpilot';
const GOOGLE_BUSINESS_PROFILE = 'Google Business Profile';
const REWARDFUL = 'Rewardful';
const OUTGROW = 'Outgrow';
const WISEPOPS = 'Wisepops';
const APP_STORE_CONNECT = 'App Store Connect';
const GOOGLE_PLAY_CONSOLE = 'Google Play Console';
const FIREBASE = 'Firebase Analytics';
const ZENDESK = 'Zendesk';
const FRESHDESK = 'Freshdesk';
const ACCOUNTING = 'Accounting export';
const MARKET_STUDY = 'Market study';

const WEB_ANALYTICS = [GA4] as const;
const SHOP = [SHOPIFY, WOOCOMMERCE, PRESTASHOP, STRIPE] as const;
const CRM = [HUBSPOT, PIPEDRIVE] as const;
const EMAILING = [KLAVIYO, ACTIVECAMPAIGN, MAILCHIMP, MAUTIC] as const;
const ADS = [GOOGLE_ADS, META_ADS, LINKEDIN_ADS] as const;
const SOCIAL = [AGORAPULSE, META_BUSINESS_SUITE] as const;
const HELPDESK = [ZENDESK, FRESHDESK] as const;
const PRODUCT_ANALYTICS = [GA4, FIREBASE] as const;

/**
 * Distinct counts (visitors, reach) are imported at the reporting grain (one value per month):
 * they are then exact for the month. Summed into a quarter they overcount the people seen in
 * several months, a limit of every analytics API that the reports accept rather than hide.
 */
export const METRIC_CATALOG: readonly MetricDefinition[] = [
  // ---- Website traffic (Google Analytics 4) ----
  {
    key: 'visitors',
    name: { fr: 'Visiteurs', en: 'Visitors' },
    description: {
      fr: 'Utilisateurs distincts venus sur le site ou l’application pendant la période (« Utilisateurs » dans GA4).',
      en: 'Distinct users who came to the website or app during the period (GA4 “Total users”).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: WEB_ANALYTICS,
  },
  {
    key: 'new_visitors',
    name: { fr: 'Nouveaux visiteurs', en: 'New visitors' },
    description: {
      fr: 'Visiteurs venus pour la première fois pendant la période (« Nouveaux utilisateurs » dans GA4).',
      en: 'Visitors who came for the first time during the period (GA4 “New users”).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: WEB_ANALYTICS,
  },
  {
    key: 'sessions',
    name: { fr: 'Sessions', en: 'Sessions' },
    description: {
      fr: 'Visites du site ou de l’application ; un visiteur peut en faire plusieurs.',
      en: 'Visits to the website or app; one visitor may make several.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: WEB_ANALYTICS,
  },
  {
    key: 'page_views',
    name: { fr: 'Pages vues', en: 'Page views' },
    description: {
      fr: 'Pages (ou écrans d’application) affichées pendant la période.',
      en: 'Pages (or app screens) displayed during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: WEB_ANALYTICS,
  },
  {
    key: 'session_duration_total',
    name: { fr: 'Durée totale des sessions', en: 'Total session duration' },
    description: {
      fr: 'Somme des durées de toutes les sessions, en secondes ; divisée par les sessions, elle donne la durée moyenne.',
      en: 'Sum of the durations of all sessions, in seconds; divided by sessions it gives the average duration.',
    },
    unit: 'DURATION',
    aggregation: 'SUM',
    sources: WEB_ANALYTICS,
  },
  {
    key: 'bounced_sessions',
    name: { fr: 'Sessions avec rebond', en: 'Bounced sessions' },
    description: {
      fr: 'Sessions quittées sans autre interaction que la page d’arrivée (dans GA4 : sessions moins sessions avec engagement).',
      en: 'Sessions left without any interaction beyond the landing page (in GA4: sessions minus engaged sessions).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: WEB_ANALYTICS,
  },
  {
    key: 'organic_search_sessions',
    name: { fr: 'Sessions issues de la recherche naturelle', en: 'Organic search sessions' },
    description: {
      fr: 'Sessions arrivées depuis les résultats non payants des moteurs de recherche.',
      en: 'Sessions that arrived from the unpaid results of search engines.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: WEB_ANALYTICS,
  },
  {
    key: 'social_sessions',
    name: { fr: 'Sessions issues des réseaux sociaux', en: 'Social sessions' },
    description: {
      fr: 'Sessions arrivées depuis les réseaux sociaux (publications non sponsorisées).',
      en: 'Sessions that arrived from social networks (unpaid posts).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: WEB_ANALYTICS,
  },
  {
    key: 'email_sessions',
    name: { fr: 'Sessions issues des e-mails', en: 'E-mail sessions' },
    description: {
      fr: 'Sessions arrivées depuis les newsletters et les e-mails automatisés.',
      en: 'Sessions that arrived from newsletters and automated e-mails.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: WEB_ANALYTICS,
  },
  {
    key: 'referral_sessions',
    name: { fr: 'Sessions issues de sites référents', en: 'Referral sessions' },
    description: {
      fr: 'Sessions arrivées par un lien depuis un autre site (partenaires, affiliés, articles).',
      en: 'Sessions that arrived through a link on another website (partners, affiliates, articles).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: WEB_ANALYTICS,
  },
  {
    key: 'branded_searches',
    name: { fr: 'Recherches sur la marque', en: 'Branded searches' },
    description: {
      fr: 'Impressions des requêtes contenant le nom de la marque dans les résultats de Google.',
      en: 'Impressions of queries containing the brand name in Google results.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [SEARCH_CONSOLE, GOOGLE_ADS],
  },

  // ---- Sales (shop CMS or Stripe) ----
  {
    key: 'orders',
    name: { fr: 'Commandes', en: 'Orders' },
    description: {
      fr: 'Commandes payées pendant la période, remboursements non déduits.',
      en: 'Orders paid during the period, refunds not deducted.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: SHOP,
  },
  {
    key: 'revenue',
    name: { fr: 'Chiffre d’affaires', en: 'Revenue' },
    description: {
      fr: 'Chiffre d’affaires hors taxes encaissé pendant la période, remboursements non déduits.',
      en: 'Revenue excluding taxes collected during the period, refunds not deducted.',
    },
    unit: 'CURRENCY',
    aggregation: 'SUM',
    sources: [...SHOP, ...CRM],
  },
  {
    key: 'recurring_revenue',
    name: { fr: 'Chiffre d’affaires récurrent', en: 'Recurring revenue' },
    description: {
      fr: 'Part du chiffre d’affaires de la période issue d’abonnements ou de contrats récurrents.',
      en: 'Part of the period’s revenue that comes from subscriptions or recurring contracts.',
    },
    unit: 'CURRENCY',
    aggregation: 'SUM',
    sources: [STRIPE, ...CRM],
  },
  {
    key: 'gross_profit',
    name: { fr: 'Marge brute', en: 'Gross profit' },
    description: {
      fr: 'Chiffre d’affaires moins le coût des produits ou services vendus pendant la période.',
      en: 'Revenue minus the cost of the goods or services sold during the period.',
    },
    unit: 'CURRENCY',
    aggregation: 'SUM',
    sources: [ACCOUNTING, SHOPIFY],
  },
  {
    key: 'refunds_amount',
    name: { fr: 'Montant remboursé', en: 'Refunded amount' },
    description: {
      fr: 'Montant hors taxes remboursé aux clients pendant la période.',
      en: 'Amount excluding taxes refunded to customers during the period.',
    },
    unit: 'CURRENCY',
    aggregation: 'SUM',
    sources: SHOP,
  },
  {
    key: 'carts_created',
    name: { fr: 'Paniers créés', en: 'Carts created' },
    description: {
      fr: 'Sessions au cours desquelles au moins un produit a été ajouté au panier (et non le nombre d’ajouts).',
      en: 'Sessions in which at least one product was added to the cart (not the number of additions).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [GA4, SHOPIFY, WOOCOMMERCE],
  },
  {
    key: 'checkouts_started',
    name: { fr: 'Paiements commencés', en: 'Checkouts started' },
    description: {
      fr: 'Tunnels de commande commencés (étape de paiement atteinte) pendant la période.',
      en: 'Checkouts started (payment step reached) during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [GA4, SHOPIFY, WOOCOMMERCE],
  },
  {
    key: 'returning_customer_orders',
    name: { fr: 'Commandes de clients déjà acheteurs', en: 'Returning customer orders' },
    description: {
      fr: 'Commandes passées par des clients qui avaient déjà commandé auparavant.',
      en: 'Orders placed by customers who had ordered before.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: SHOP,
  },
  {
    key: 'cross_upsell_orders',
    name: { fr: 'Commandes avec vente croisée ou incitative', en: 'Orders with a cross-sell or upsell' },
    description: {
      fr: 'Commandes contenant un produit recommandé (vente croisée) ou une montée en gamme (vente incitative).',
      en: 'Orders containing a recommended product (cross-sell) or a higher-tier product (upsell).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [SHOPIFY, WOOCOMMERCE, ...CRM],
  },
  {
    key: 'cross_upsell_revenue',
    name: { fr: 'Chiffre d’affaires des ventes croisées et incitatives', en: 'Cross-sell and upsell revenue' },
    description: {
      fr: 'Chiffre d’affaires hors taxes apporté par les produits recommandés et les montées en gamme.',
      en: 'Revenue excluding taxes brought by recommended products and upgrades.',
    },
    unit: 'CURRENCY',
    aggregation: 'SUM',
    sources: [SHOPIFY, WOOCOMMERCE, STRIPE, ...CRM],
  },
  {
    key: 'upsell_opportunities',
    name: { fr: 'Opportunités de vente croisée ou incitative', en: 'Cross-sell and upsell opportunities' },
    description: {
      fr: 'Opportunités ouvertes auprès de clients existants pour vendre plus ou mieux.',
      en: 'Opportunities opened with existing customers to sell more or sell higher.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: CRM,
  },
  {
    key: 'upsell_opportunities_won',
    name: { fr: 'Opportunités de vente croisée gagnées', en: 'Cross-sell and upsell opportunities won' },
    description: {
      fr: 'Opportunités de vente croisée ou incitative conclues pendant la période.',
      en: 'Cross-sell or upsell opportunities closed as won during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: CRM,
  },

  // ---- Customer base ----
  {
    key: 'new_customers',
    name: { fr: 'Nouveaux clients', en: 'New customers' },
    description: {
      fr: 'Clients ayant payé pour la première fois pendant la période.',
      en: 'Customers who paid for the first time during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [...SHOP, ...CRM],
  },
  {
    key: 'new_customers_paid',
    name: { fr: 'Nouveaux clients issus de l’acquisition payante', en: 'New customers from paid acquisition' },
    description: {
      fr: 'Nouveaux clients venus par un canal payant (publicité, affiliation rémunérée).',
      en: 'New customers who came through a paid channel (advertising, paid affiliation).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [GA4, ...CRM],
  },
  {
    // Churn needs the customers at the START of the period, and a stock summarised by LAST only
    // gives its end. Rather than a "customers at start" metric (which LAST would read at the start
    // of the period's last month, wrong for a quarter), the start is derived from this flow:
    // start = customers_total - new_customers + customers_lost, exact for any period length.
    key: 'customers_lost',
    name: { fr: 'Clients perdus', en: 'Customers lost' },
    description: {
      fr: 'Clients partis pendant la période : abonnement résilié, ou aucun achat depuis la durée d’inactivité convenue.',
      en: 'Customers who left during the period: subscription cancelled, or no purchase for the agreed inactivity period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [STRIPE, ...CRM, SHOPIFY],
  },
  {
    key: 'customers_total',
    name: { fr: 'Nombre total de clients', en: 'Total customers' },
    description: {
      fr: 'Clients actifs à la fin de la période (abonnés payants ou acheteurs non perdus).',
      en: 'Active customers at the end of the period (paying subscribers or buyers not lost).',
    },
    unit: 'COUNT',
    aggregation: 'LAST',
    sources: [STRIPE, ...CRM, SHOPIFY],
  },
  {
    key: 'inactive_customers',
    name: { fr: 'Clients inactifs', en: 'Inactive customers' },
    description: {
      fr: 'Clients encore comptés mais sans activité depuis plus de X jours à la fin de la période (X convenu avec le client).',
      en: 'Customers still counted but without activity for more than X days at the end of the period (X agreed with the client).',
    },
    unit: 'COUNT',
    aggregation: 'LAST',
    sources: [...CRM, STRIPE, KLAVIYO],
  },
  {
    key: 'addressable_market',
    name: { fr: 'Taille du marché adressable', en: 'Addressable market size' },
    description: {
      fr: 'Nombre de clients potentiels dans la cible visée, selon l’étude de marché retenue.',
      en: 'Number of potential customers in the target, according to the market study used.',
    },
    unit: 'COUNT',
    aggregation: 'LAST',
    sources: [MARKET_STUDY],
  },

  // ---- SaaS and mobile app product ----
  {
    key: 'signups',
    name: { fr: 'Inscriptions', en: 'Sign-ups' },
    description: {
      fr: 'Comptes créés pendant la période (offre gratuite, essai ou application).',
      en: 'Accounts created during the period (free plan, trial or app).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [...PRODUCT_ANALYTICS, STRIPE],
  },
  {
    key: 'trial_starts',
    name: { fr: 'Essais démarrés', en: 'Trials started' },
    description: {
      fr: 'Périodes d’essai gratuites commencées pendant la période.',
      en: 'Free trials started during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [STRIPE, ...PRODUCT_ANALYTICS],
  },
  {
    key: 'trial_conversions',
    name: { fr: 'Essais convertis', en: 'Trials converted' },
    description: {
      fr: 'Essais devenus abonnements payants pendant la période.',
      en: 'Trials that became paid subscriptions during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [STRIPE],
  },
  {
    key: 'freemium_upgrades',
    name: { fr: 'Passages du gratuit au payant', en: 'Free-to-paid upgrades' },
    description: {
      fr: 'Utilisateurs de l’offre gratuite passés à une offre payante pendant la période.',
      en: 'Free-plan users who moved to a paid plan during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [STRIPE],
  },
  {
    key: 'activations',
    name: { fr: 'Activations', en: 'Activations' },
    description: {
      fr: 'Nouveaux comptes ayant atteint l’action clé qui montre la valeur du produit (« moment aha »).',
      en: 'New accounts that reached the key action showing the product’s value (“aha moment”).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: PRODUCT_ANALYTICS,
  },
  {
    key: 'key_actions',
    name: { fr: 'Tâches essentielles effectuées', en: 'Key actions performed' },
    description: {
      fr: 'Nombre de fois où les utilisateurs ont accompli la tâche essentielle du produit (projet créé, facture envoyée…).',
      en: 'Number of times users performed the product’s core task (project created, invoice sent…).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: PRODUCT_ANALYTICS,
  },
  {
    // A daily figure read as a stock: the source is asked for the average of the last 28 days
    // at the end of the period, so that one quiet Sunday does not drive the monthly ratio.
    key: 'daily_active_users',
    name: { fr: 'Utilisateurs actifs quotidiens', en: 'Daily active users' },
    description: {
      fr: 'Moyenne des utilisateurs actifs par jour sur les 28 derniers jours, relevée en fin de période.',
      en: 'Average users active per day over the last 28 days, read at the end of the period.',
    },
    unit: 'COUNT',
    aggregation: 'LAST',
    sources: PRODUCT_ANALYTICS,
  },
  {
    key: 'monthly_active_users',
    name: { fr: 'Utilisateurs actifs mensuels', en: 'Monthly active users' },
    description: {
      fr: 'Utilisateurs distincts actifs sur les 28 derniers jours, relevés en fin de période.',
      en: 'Distinct users active over the last 28 days, read at the end of the period.',
    },
    unit: 'COUNT',
    aggregation: 'LAST',
    sources: PRODUCT_ANALYTICS,
  },
  {
    key: 'app_installs',
    name: { fr: 'Installations de l’application', en: 'App installs' },
    description: {
      fr: 'Premières installations de l’application mobile sur les stores pendant la période.',
      en: 'First installs of the mobile app from the stores during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [APP_STORE_CONNECT, GOOGLE_PLAY_CONSOLE, FIREBASE],
  },
  {
    key: 'mrr',
    name: { fr: 'Revenu mensuel récurrent (MRR)', en: 'Monthly recurring revenue (MRR)' },
    description: {
      fr: 'Somme des abonnements actifs ramenés au mois, à la fin de la période.',
      en: 'Sum of active subscriptions expressed per month, at the end of the period.',
    },
    unit: 'CURRENCY',
    aggregation: 'LAST',
    sources: [STRIPE],
  },
  {
    key: 'new_mrr',
    name: { fr: 'MRR des nouveaux clients', en: 'New MRR' },
    description: {
      fr: 'MRR apporté par les clients qui ont commencé à payer pendant la période.',
      en: 'MRR brought by customers who started paying during the period.',
    },
    unit: 'CURRENCY',
    aggregation: 'SUM',
    sources: [STRIPE],
  },
  {
    key: 'expansion_mrr',
    name: { fr: 'MRR d’expansion', en: 'Expansion MRR' },
    description: {
      fr: 'MRR ajouté par les montées en gamme et options des clients existants.',
      en: 'MRR added by upgrades and add-ons of existing customers.',
    },
    unit: 'CURRENCY',
    aggregation: 'SUM',
    sources: [STRIPE],
  },
  {
    key: 'churned_mrr',
    name: { fr: 'MRR perdu', en: 'Churned MRR' },
    description: {
      fr: 'MRR perdu par résiliations et baisses de gamme pendant la période.',
      en: 'MRR lost through cancellations and downgrades during the period.',
    },
    unit: 'CURRENCY',
    aggregation: 'SUM',
    sources: [STRIPE],
  },

  // ---- E-mailing and marketing automation ----
  {
    // The seed's open rate is "opens of A + A-bis / sends of A": a resend's opens count, its sends
    // do not (it only goes to A's non-openers). Sends therefore exclude resends, opens include them.
    key: 'emails_sent',
    name: { fr: 'E-mails envoyés', en: 'E-mails sent' },
    description: {
      fr: 'E-mails envoyés, hors relances (A bis) : chaque envoi compte, pas chaque contact, et une relance vise les contacts de l’envoi d’origine.',
      en: 'E-mails sent, resends (A-bis) excluded: every send counts, not every contact, and a resend targets the contacts of the original send.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: EMAILING,
  },
  {
    key: 'emails_delivered',
    name: { fr: 'E-mails délivrés', en: 'E-mails delivered' },
    description: {
      fr: 'E-mails envoyés (hors relances) qui n’ont pas rebondi.',
      en: 'E-mails sent (resends excluded) that did not bounce.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: EMAILING,
  },
  {
    key: 'email_opens',
    name: { fr: 'Ouvertures d’e-mails', en: 'E-mail opens' },
    description: {
      fr: 'Ouvertures uniques par envoi, relances comprises : une ouverture de A et une de sa relance A bis comptent deux fois.',
      en: 'Unique opens per send, resends included: one open of A and one of its resend A-bis count twice.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: EMAILING,
  },
  {
    key: 'email_clicks',
    name: { fr: 'Clics dans les e-mails', en: 'E-mail clicks' },
    description: {
      fr: 'Destinataires uniques ayant cliqué sur un lien, par envoi, relances comprises.',
      en: 'Unique recipients who clicked a link, per send, resends included.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: EMAILING,
  },
  {
    key: 'email_unsubscribes',
    name: { fr: 'Désinscriptions', en: 'Unsubscribes' },
    description: {
      fr: 'Contacts qui se sont désinscrits depuis un e-mail pendant la période.',
      en: 'Contacts who unsubscribed from an e-mail during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: EMAILING,
  },
  {
    key: 'email_subscribers',
    name: { fr: 'Abonnés e-mail', en: 'E-mail subscribers' },
    description: {
      fr: 'Contacts inscrits et joignables dans la base e-mail à la fin de la période.',
      en: 'Subscribed, reachable contacts in the e-mail list at the end of the period.',
    },
    unit: 'COUNT',
    aggregation: 'LAST',
    sources: EMAILING,
  },
  {
    key: 'email_conversions',
    name: { fr: 'Conversions par e-mail', en: 'E-mail conversions' },
    description: {
      fr: 'Achats ou demandes attribués aux e-mails (séquences automatisées comme les paniers abandonnés, campagnes).',
      en: 'Purchases or requests attributed to e-mails (automated sequences such as abandoned carts, campaigns).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [KLAVIYO, ACTIVECAMPAIGN, MAUTIC],
  },
  {
    key: 'email_revenue',
    name: { fr: 'Chiffre d’affaires attribué aux e-mails', en: 'E-mail attributed revenue' },
    description: {
      fr: 'Chiffre d’affaires des commandes attribuées aux e-mails par l’outil d’e-mailing.',
      en: 'Revenue of the orders the e-mailing tool attributes to e-mails.',
    },
    unit: 'CURRENCY',
    aggregation: 'SUM',
    sources: [KLAVIYO, ACTIVECAMPAIGN],
  },
  {
    key: 'resource_downloads',
    name: { fr: 'Téléchargements de ressources', en: 'Resource downloads' },
    description: {
      fr: 'Téléchargements des guides, livres blancs et autres ressources proposées aux contacts.',
      en: 'Downloads of the guides, white papers and other resources offered to contacts.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [...EMAILING, GA4],
  },

  // ---- Leads and sales pipeline (CRM, lead-generation tools) ----
  {
    key: 'leads',
    name: { fr: 'Nouveaux leads', en: 'New leads' },
    description: {
      fr: 'Contacts ajoutés en base comme prospects pendant la période (formulaire, inscription, appel).',
      en: 'Contacts added to the database as prospects during the period (form, sign-up, call).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [...CRM, ...EMAILING],
  },
  {
    key: 'mql',
    name: { fr: 'Leads qualifiés marketing (MQL)', en: 'Marketing qualified leads (MQL)' },
    description: {
      fr: 'Leads jugés mûrs par le marketing (score, comportement) pendant la période.',
      en: 'Leads deemed ready by marketing (score, behaviour) during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [...CRM, ACTIVECAMPAIGN, MAUTIC],
  },
  {
    key: 'sql',
    name: { fr: 'Leads qualifiés commercial (SQL)', en: 'Sales qualified leads (SQL)' },
    description: {
      fr: 'Leads acceptés par l’équipe commerciale comme opportunités pendant la période.',
      en: 'Leads accepted by the sales team as opportunities during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: CRM,
  },
  {
    key: 'pipeline_value',
    name: { fr: 'Potentiel des nouveaux leads', en: 'New pipeline value' },
    description: {
      fr: 'Montant estimé des affaires associées aux leads créés pendant la période.',
      en: 'Estimated amount of the deals attached to the leads created during the period.',
    },
    unit: 'CURRENCY',
    aggregation: 'SUM',
    sources: CRM,
  },
  {
    key: 'lead_response_time_total',
    name: { fr: 'Délai total de première prise de contact', en: 'Total lead response time' },
    description: {
      fr: 'Somme, en secondes, des délais entre l’arrivée de chaque lead et le premier contact commercial.',
      en: 'Sum, in seconds, of the delays between each lead’s arrival and the first sales contact.',
    },
    unit: 'DURATION',
    aggregation: 'SUM',
    sources: CRM,
  },
  {
    key: 'sales_cycle_duration_total',
    name: { fr: 'Durée totale des cycles de vente', en: 'Total sales cycle duration' },
    description: {
      fr: 'Somme, en secondes, des durées entre la création du lead et la signature, pour les clients gagnés pendant la période.',
      en: 'Sum, in seconds, of the time from lead creation to signature, for the customers won during the period.',
    },
    unit: 'DURATION',
    aggregation: 'SUM',
    sources: CRM,
  },
  {
    key: 'lead_magnet_views',
    name: { fr: 'Affichages du lead magnet', en: 'Lead magnet views' },
    description: {
      fr: 'Affichages de la pop-up, du quiz ou du simulateur qui propose le lead magnet.',
      en: 'Displays of the pop-up, quiz or calculator offering the lead magnet.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [WISEPOPS, OUTGROW],
  },
  {
    key: 'lead_magnet_conversions',
    name: { fr: 'Conversions du lead magnet', en: 'Lead magnet conversions' },
    description: {
      fr: 'Visiteurs ayant laissé leur e-mail en échange du lead magnet.',
      en: 'Visitors who left their e-mail in exchange for the lead magnet.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [WISEPOPS, OUTGROW],
  },
  {
    key: 'phone_calls',
    name: { fr: 'Appels entrants', en: 'Inbound calls' },
    description: {
      fr: 'Appels reçus depuis la fiche d’établissement, le site ou les annonces.',
      en: 'Calls received from the business profile, the website or the ads.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [GOOGLE_BUSINESS_PROFILE, GOOGLE_ADS],
  },

  // ---- Advertising and marketing costs ----
  {
    key: 'ad_spend',
    name: { fr: 'Dépenses publicitaires', en: 'Ad spend' },
    description: {
      fr: 'Montant hors taxes dépensé en publicité en ligne pendant la période.',
      en: 'Amount excluding taxes spent on online advertising during the period.',
    },
    unit: 'CURRENCY',
    aggregation: 'SUM',
    sources: ADS,
  },
  {
    key: 'ad_impressions',
    name: { fr: 'Impressions publicitaires', en: 'Ad impressions' },
    description: {
      fr: 'Nombre d’affichages des annonces.',
      en: 'Number of times the ads were displayed.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: ADS,
  },
  {
    key: 'ad_clicks',
    name: { fr: 'Clics publicitaires', en: 'Ad clicks' },
    description: {
      fr: 'Clics sur les annonces.',
      en: 'Clicks on the ads.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: ADS,
  },
  {
    key: 'ad_conversions',
    name: { fr: 'Conversions publicitaires', en: 'Ad conversions' },
    description: {
      fr: 'Conversions (achats, leads) attribuées aux annonces par les régies.',
      en: 'Conversions (purchases, leads) the ad platforms attribute to the ads.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: ADS,
  },
  {
    key: 'ad_revenue',
    name: { fr: 'Chiffre d’affaires attribué à la publicité', en: 'Ad attributed revenue' },
    description: {
      fr: 'Valeur des conversions attribuées aux annonces par les régies.',
      en: 'Value of the conversions the ad platforms attribute to the ads.',
    },
    unit: 'CURRENCY',
    aggregation: 'SUM',
    sources: ADS,
  },
  {
    key: 'marketing_cost',
    name: { fr: 'Coût marketing total', en: 'Total marketing cost' },
    description: {
      fr: 'Dépenses marketing et commerciales de la période, publicité comprise (outils, agence, contenus, salons).',
      en: 'Marketing and sales spending of the period, advertising included (tools, agency, content, events).',
    },
    unit: 'CURRENCY',
    aggregation: 'SUM',
    sources: [ACCOUNTING, ...ADS],
  },

  // ---- Customer support ----
  {
    key: 'support_tickets',
    name: { fr: 'Tickets créés', en: 'Tickets created' },
    description: {
      fr: 'Demandes de support ouvertes pendant la période.',
      en: 'Support requests opened during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: HELPDESK,
  },
  {
    key: 'tickets_replied',
    name: { fr: 'Tickets ayant reçu une première réponse', en: 'Tickets with a first reply' },
    description: {
      fr: 'Tickets qui ont reçu leur première réponse pendant la période.',
      en: 'Tickets that received their first reply during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: HELPDESK,
  },
  {
    key: 'first_response_time_total',
    name: { fr: 'Temps total avant première réponse', en: 'Total first response time' },
    description: {
      fr: 'Somme, en secondes, des délais avant première réponse des tickets répondus pendant la période.',
      en: 'Sum, in seconds, of the first response delays of the tickets replied to during the period.',
    },
    unit: 'DURATION',
    aggregation: 'SUM',
    sources: HELPDESK,
  },
  {
    key: 'tickets_resolved',
    name: { fr: 'Tickets fermés', en: 'Tickets resolved' },
    description: {
      fr: 'Tickets résolus et fermés pendant la période.',
      en: 'Tickets resolved and closed during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: HELPDESK,
  },
  {
    key: 'tickets_resolved_within_sla',
    name: { fr: 'Tickets fermés dans les délais', en: 'Tickets resolved within SLA' },
    description: {
      fr: 'Tickets fermés pendant la période dans le délai promis au client (SLA).',
      en: 'Tickets closed during the period within the delay promised to the customer (SLA).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: HELPDESK,
  },
  {
    key: 'resolution_time_total',
    name: { fr: 'Temps total avant fermeture', en: 'Total resolution time' },
    description: {
      fr: 'Somme, en secondes, des durées entre ouverture et fermeture des tickets fermés pendant la période.',
      en: 'Sum, in seconds, of the time from opening to closing of the tickets closed during the period.',
    },
    unit: 'DURATION',
    aggregation: 'SUM',
    sources: HELPDESK,
  },
  {
    key: 'csat_responses',
    name: { fr: 'Réponses à l’enquête de satisfaction', en: 'Satisfaction survey responses' },
    description: {
      fr: 'Réponses à la question de satisfaction posée après un échange avec le support.',
      en: 'Answers to the satisfaction question asked after a support exchange.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [...HELPDESK, HOTJAR],
  },
  {
    key: 'csat_satisfied',
    name: { fr: 'Réponses satisfaites', en: 'Satisfied responses' },
    description: {
      fr: 'Réponses « satisfait » ou « très satisfait » (4 ou 5 sur 5).',
      en: '“Satisfied” or “very satisfied” answers (4 or 5 out of 5).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [...HELPDESK, HOTJAR],
  },

  // ---- Satisfaction, reviews and referral ----
  {
    key: 'nps_promoters',
    name: { fr: 'Promoteurs (NPS)', en: 'Promoters (NPS)' },
    description: {
      fr: 'Répondants ayant donné 9 ou 10 à « Quelle est la probabilité que vous nous recommandiez ? ».',
      en: 'Respondents who answered 9 or 10 to “How likely are you to recommend us?”.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [HOTJAR],
  },
  {
    key: 'nps_passives',
    name: { fr: 'Passifs (NPS)', en: 'Passives (NPS)' },
    description: {
      fr: 'Répondants ayant donné 7 ou 8 à la question de recommandation.',
      en: 'Respondents who answered 7 or 8 to the recommendation question.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [HOTJAR],
  },
  {
    key: 'nps_detractors',
    name: { fr: 'Détracteurs (NPS)', en: 'Detractors (NPS)' },
    description: {
      fr: 'Répondants ayant donné de 0 à 6 à la question de recommandation.',
      en: 'Respondents who answered 0 to 6 to the recommendation question.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [HOTJAR],
  },
  {
    key: 'reviews_count',
    name: { fr: 'Avis publiés', en: 'Reviews published' },
    description: {
      fr: 'Avis clients publiés pendant la période.',
      en: 'Customer reviews published during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [TRUSTPILOT, GOOGLE_BUSINESS_PROFILE],
  },
  {
    key: 'review_rating_sum',
    name: { fr: 'Somme des notes des avis', en: 'Sum of review ratings' },
    description: {
      fr: 'Somme des étoiles (1 à 5) des avis publiés pendant la période ; divisée par le nombre d’avis, elle donne la note moyenne.',
      en: 'Sum of the stars (1 to 5) of the reviews published during the period; divided by the review count it gives the average rating.',
    },
    unit: 'SCORE',
    aggregation: 'SUM',
    sources: [TRUSTPILOT, GOOGLE_BUSINESS_PROFILE],
  },
  {
    key: 'review_invitations',
    name: { fr: 'Invitations à laisser un avis', en: 'Review invitations' },
    description: {
      fr: 'Demandes d’avis envoyées aux clients (collecte automatique après achat comprise).',
      en: 'Review requests sent to customers (automatic post-purchase collection included).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [TRUSTPILOT],
  },
  {
    key: 'referral_invitations',
    name: { fr: 'Invitations de parrainage envoyées', en: 'Referral invitations sent' },
    description: {
      fr: 'Invitations envoyées ou liens de parrainage partagés par les clients.',
      en: 'Invitations sent or referral links shared by customers.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [REWARDFUL],
  },
  {
    key: 'referral_signups',
    name: { fr: 'Inscriptions parrainées', en: 'Referred sign-ups' },
    description: {
      fr: 'Filleuls inscrits ou devenus leads grâce à une invitation de parrainage.',
      en: 'Referred people who signed up or became leads through a referral invitation.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [REWARDFUL],
  },
  {
    key: 'referral_customers',
    name: { fr: 'Clients parrainés', en: 'Referred customers' },
    description: {
      fr: 'Nouveaux clients venus par parrainage ou recommandation d’un proche.',
      en: 'New customers who came through a referral or a recommendation.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [REWARDFUL, ...CRM],
  },

  // ---- Social networks and brand ----
  {
    key: 'social_impressions',
    name: { fr: 'Impressions sur les réseaux sociaux', en: 'Social impressions' },
    description: {
      fr: 'Affichages des publications de la marque sur les réseaux sociaux.',
      en: 'Displays of the brand’s posts on social networks.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: SOCIAL,
  },
  {
    key: 'social_reach',
    name: { fr: 'Portée sur les réseaux sociaux', en: 'Social reach' },
    description: {
      fr: 'Personnes distinctes ayant vu au moins une publication de la marque pendant la période.',
      en: 'Distinct people who saw at least one of the brand’s posts during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: SOCIAL,
  },
  {
    key: 'social_engagements',
    name: { fr: 'Interactions sur les réseaux sociaux', en: 'Social engagements' },
    description: {
      fr: 'Réactions, commentaires, partages et clics sur les publications de la marque.',
      en: 'Reactions, comments, shares and clicks on the brand’s posts.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: SOCIAL,
  },
  {
    key: 'social_followers',
    name: { fr: 'Abonnés sur les réseaux sociaux', en: 'Social followers' },
    description: {
      fr: 'Abonnés cumulés des comptes de la marque à la fin de la période.',
      en: 'Combined followers of the brand’s accounts at the end of the period.',
    },
    unit: 'COUNT',
    aggregation: 'LAST',
    sources: SOCIAL,
  },
  {
    key: 'brand_mentions',
    name: { fr: 'Mentions de la marque', en: 'Brand mentions' },
    description: {
      fr: 'Publications et articles qui citent la marque pendant la période.',
      en: 'Posts and articles that mention the brand during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [AGORAPULSE],
  },
  {
    key: 'competitor_mentions',
    name: { fr: 'Mentions des concurrents', en: 'Competitor mentions' },
    description: {
      fr: 'Publications et articles qui citent les concurrents suivis pendant la période.',
      en: 'Posts and articles that mention the tracked competitors during the period.',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [AGORAPULSE],
  },

  // ---- Organic search (Google Search Console) ----
  // Search Console's CTR and average position are ratios: stored as their parts so that a
  // month's CTR is Σ clicks / Σ impressions and its position is weighted by impressions.
  {
    key: 'search_clicks',
    name: { fr: 'Clics depuis la recherche Google', en: 'Google Search clicks' },
    description: {
      fr: 'Clics sur les résultats naturels de Google Search menant au site (« Clics » dans la Search Console).',
      en: 'Clicks on Google Search organic results that led to the site (Search Console “Clicks”).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [SEARCH_CONSOLE],
  },
  {
    key: 'search_impressions',
    name: { fr: 'Impressions dans la recherche Google', en: 'Google Search impressions' },
    description: {
      fr: 'Affichages d’un lien vers le site dans les résultats naturels de Google Search (« Impressions » dans la Search Console).',
      en: 'Times a link to the site appeared in Google Search organic results (Search Console “Impressions”).',
    },
    unit: 'COUNT',
    aggregation: 'SUM',
    sources: [SEARCH_CONSOLE],
  },
  {
    key: 'search_position_weighted',
    name: { fr: 'Position × impressions (recherche Google)', en: 'Position × impressions (Google Search)' },
    description: {
      fr: 'Position moyenne du jour multipliée par ses impressions ; divisée par les impressions de la période, elle donne la position moyenne pondérée comme la Search Console la calcule.',
      en: 'The day’s average position times its impressions; divided by the period’s impressions it gives the average position weighted as Search Console computes it.',
    },
    unit: 'SCORE',
    aggregation: 'SUM',
    sources: [SEARCH_CONSOLE],
  },
];

const METRICS_BY_KEY: ReadonlyMap<string, MetricDefinition> = new Map(METRIC_CATALOG.map((metric) => [metric.key, metric]));

/** The catalog metric with this key, or undefined. */
export function findMetric(key: string): MetricDefinition | undefined {
  return METRICS_BY_KEY.get(key);
}
