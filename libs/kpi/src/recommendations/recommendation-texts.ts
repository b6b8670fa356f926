import type { BusinessModel, ClientTrait, LocalizedText, MarketingChannel } from '../domain';

/** Why a KPI fits the client's business model, as shown next to the recommendation. */
export const BUSINESS_MODEL_FIT_REASONS: Readonly<Record<BusinessModel, LocalizedText>> = {
  ECOMMERCE: { fr: 'Adapté à l’e-commerce', en: 'Suited to e-commerce' },
  SAAS: { fr: 'Adapté au SaaS', en: 'Suited to SaaS' },
  MOBILE_APP: { fr: 'Adapté aux applications mobiles', en: 'Suited to mobile apps' },
  B2B_SERVICES: { fr: 'Adapté aux services B2B', en: 'Suited to B2B services' },
  LEAD_GEN_LOCAL: { fr: 'Adapté aux activités locales', en: 'Suited to local businesses' },
  MEDIA: { fr: 'Adapté aux médias', en: 'Suited to media publishers' },
};

/** The seeds' "💡 Si vous avez…" lines: a trait of the offer that makes the KPI worth tracking. */
export const TRAIT_REASONS: Readonly<Record<ClientTrait, LocalizedText>> = {
  FREEMIUM: { fr: 'Vous avez une offre freemium', en: 'You have a freemium offer' },
  LEAD_MAGNET: { fr: 'Vous avez un lead magnet', en: 'You have a lead magnet' },
  SUBSCRIPTION: { fr: 'Vous proposez un abonnement', en: 'You sell a subscription' },
  REFERRAL_PROGRAM: { fr: 'Vous avez un programme de parrainage', en: 'You have a referral programme' },
  EMAIL_AUTOMATION: {
    fr: 'Vous avez des séquences e-mail automatisées',
    en: 'You have automated e-mail sequences',
  },
  MOBILE_APP: { fr: 'Vous avez une application mobile', en: 'You have a mobile app' },
};

export const CHANNEL_REASONS: Readonly<Record<MarketingChannel, LocalizedText>> = {
  SEO: { fr: 'Vous travaillez le référencement naturel', en: 'You work on organic search' },
  PAID_SEARCH: { fr: 'Vous faites de la publicité sur les moteurs de recherche', en: 'You advertise on search engines' },
  SOCIAL: { fr: 'Vous êtes présent sur les réseaux sociaux', en: 'You are active on social networks' },
  EMAIL: { fr: 'Vous envoyez des e-mails', en: 'You send e-mails' },
  CONTENT: { fr: 'Vous produisez du contenu', en: 'You produce content' },
  WEBINARS: { fr: 'Vous organisez des webinaires', en: 'You run webinars' },
  AFFILIATES: { fr: 'Vous travaillez avec des affiliés', en: 'You work with affiliates' },
};

export const CUSTOM_KPI_REASON: LocalizedText = {
  fr: 'Indicateur défini par votre agence',
  en: 'Indicator defined by your agency',
};

export function objectiveReason(objectiveName: LocalizedText): LocalizedText {
  return {
    fr: `Mesure l’objectif « ${objectiveName.fr} »`,
    en: `Measures the objective “${objectiveName.en}”`,
  };
}
