import type { FunnelStage, Locale } from '@pilotage/kpi';
import type { SummaryPointKind } from '../narrative/report-story';
import type { KpiStatus, ReportChannelFigureKey, ReportPeriodKind, ReportStaleSource } from '../snapshot/report-snapshot';

/** The channel table's texts (weekly report, monthly channel section). */
export interface ChannelLabels {
  readonly heading: string;
  readonly intro: string;
  readonly channel: string;
  readonly total: string;
  readonly figures: Record<ReportChannelFigureKey, string>;
  /** The row under the total: the plan's targets prorated to the period. */
  readonly target: string;
  /** Under the table: what a channel without ads counts as clicks and conversions. */
  readonly trafficNote: (conversionLabel: string) => string;
  /** Under the table: the total's clicks and conversions are the ad platforms' when some channel has ads. */
  readonly adsTotalNote: string;
  readonly partialNote: (name: string, daysWithData: number, daysInPeriod: number) => string;
  readonly campaigns: string;
  readonly campaign: string;
  readonly campaignsIntro: string;
}

/** Every fixed text of the report, per language. */
export interface ReportLabels {
  readonly reportTitle: Record<ReportPeriodKind, string>;
  readonly preparedBy: string;
  readonly preparedFor: string;
  readonly generatedOn: string;
  readonly contents: string;
  readonly summary: string;
  readonly summaryIntro: string;
  readonly objective: string;
  readonly highlights: string;
  /** What each point of the executive summary is: a win, a concern, the likely cause, the next step. */
  readonly storyPoint: Record<SummaryPointKind, string>;
  readonly pmCommentary: string;
  readonly noPmCommentary: string;
  readonly narrative: string;
  readonly scorecard: string;
  readonly scorecardIntro: string;
  readonly funnel: string;
  readonly funnelIntro: string;
  readonly kpiDetails: string;
  readonly dataCoverage: string;
  readonly dataCoverageIntro: string;
  readonly appendix: string;
  readonly appendixIntro: string;
  readonly columns: {
    readonly kpi: string;
    readonly value: string;
    readonly target: string;
    readonly attainment: string;
    readonly mom: string;
    readonly yoy: string;
    readonly ytd: string;
    readonly status: string;
    readonly stage: string;
    readonly conversion: string;
    readonly formula: string;
    readonly direction: string;
    readonly coverage: string;
    readonly daysWithData: string;
  };
  readonly status: Record<KpiStatus, string>;
  readonly stage: Record<FunnelStage, string>;
  readonly higherIsBetter: string;
  readonly lowerIsBetter: string;
  readonly noData: string;
  /** `span` names the chart's stretch of time ("13 derniers mois"). */
  readonly trendLegend: { readonly actual: string; readonly target: string; readonly span: string };
  readonly vsPreviousMonth: string;
  readonly vsPreviousWeek: string;
  readonly vsLastYear: string;
  readonly yearToDate: string;
  readonly kpiCountOnTrack: (onTrack: number, total: number) => string;
  /** Says on how many days a value stands, never in which direction it may be wrong. */
  readonly coverageNote: (daysWithData: number, daysInPeriod: number) => string;
  /** `days` is a formatted range ("les 11 et 12 nov.", "Nov 11–12"). */
  readonly missingDaysNote: (metricName: string, days: string) => string;
  readonly proratedTargetNote: string;
  /** Printed next to the year to date of a rate over a stock base (churn, NRR): a monthly rate. */
  readonly monthlyAverage: string;
  readonly noDataNote: string;
  readonly missingMonthsNote: (months: string) => string;
  readonly page: string;
  readonly of: string;
  readonly channels: ChannelLabels;
  /** Printed next to the value of a KPI fed by a connection that stopped syncing (and before its note). */
  readonly staleMark: string;
  /** Under the scorecard, per connection: `platform` its name, `since` its last day synced formatted (null: never synced). */
  readonly staleNote: (platform: string, account: string, since: string | null, status: ReportStaleSource['status']) => string;
  /** Heading of the section listing what a new version corrects. */
  readonly correctionsTitle: (version: number) => string;
  readonly correctionsIntro: string;
  readonly correctionsColumns: { readonly kpi: string; readonly oldValue: string; readonly newValue: string; readonly foundOn: string };
  /** The readiness gate's warning: a scheduled report generated at its cap date with data still missing. */
  readonly readinessWarning: (kpiNames: string) => string;
}

/** The platforms as their owners name them (the same in both languages). */
export const PLATFORM_NAMES: Readonly<Record<string, string>> = {
  GA4: 'Google Analytics 4',
  GOOGLE_ADS: 'Google Ads',
  META_ADS: 'Meta Ads',
  SEARCH_CONSOLE: 'Google Search Console',
};

const FR: ReportLabels = {
  reportTitle: { MONTHLY: 'Rapport mensuel de performance', WEEKLY: 'Rapport hebdomadaire de performance' },
  preparedBy: 'Préparé par',
  preparedFor: 'Pour',
  generatedOn: 'Édité le',
  contents: 'Sommaire',
  summary: 'Synthèse',
  summaryIntro: 'Les points clés du mois, du plus important au moins important. Le détail des chiffres suit dans le tableau de bord.',
  objective: 'Objectif',
  highlights: 'L’essentiel du mois',
  storyPoint: { WIN: 'Succès', CONCERN: 'Point d’attention', CAUSE: 'Cause probable', ACTION: 'Prochaine étape', OVERVIEW: 'Vue d’ensemble' },
  pmCommentary: 'Analyse du chef de projet',
  noPmCommentary: 'Pas d’analyse rédigée pour cette période.',
  narrative: 'Lecture des chiffres',
  scorecard: 'Tableau de bord',
  scorecardIntro: 'Valeur du mois, objectif et évolutions. Les écarts se lisent en points pour les taux.',
  funnel: 'Entonnoir de conversion',
  funnelIntro: 'Chaque étape de l’entonnoir et le passage depuis l’étape précédente.',
  kpiDetails: 'Indicateurs en détail',
  dataCoverage: 'Couverture des données',
  dataCoverageIntro: 'Jours couverts par les données de chaque indicateur sur la période.',
  appendix: 'Annexe : définitions des indicateurs',
  appendixIntro: 'Comment chaque indicateur est calculé.',
  columns: {
    kpi: 'Indicateur',
    value: 'Valeur',
    target: 'Objectif',
    attainment: 'Atteinte',
    mom: 'vs M−1',
    yoy: 'vs N−1',
    ytd: 'Cumul annuel',
    status: 'Statut',
    stage: 'Étape',
    conversion: 'Passage',
    formula: 'Formule',
    direction: 'Sens',
    coverage: 'Couverture',
    daysWithData: 'Jours avec données',
  },
  status: {
    ON_TRACK: 'Objectif atteint',
    AT_RISK: 'À surveiller',
    OFF_TRACK: 'En retard',
    NO_DATA: 'Pas de données',
    NO_TARGET: 'Sans objectif',
  },
  stage: {
    ACQUISITION: 'Acquisition',
    CONVERSION: 'Conversion',
    ENGAGEMENT: 'Engagement',
    REVENUE: 'Revenu',
    REFERRAL: 'Recommandation',
  },
  higherIsBetter: 'Plus haut = mieux',
  lowerIsBetter: 'Plus bas = mieux',
  noData: 'Pas de données',
  trendLegend: { actual: 'Réalisé', target: 'Objectif', span: '13 derniers mois' },
  vsPreviousMonth: 'vs mois précédent',
  vsPreviousWeek: 'vs semaine précédente',
  vsLastYear: 'vs année précédente',
  yearToDate: 'Cumul annuel',
  kpiCountOnTrack: (onTrack, total) => `${onTrack} indicateur${onTrack > 1 ? 's' : ''} sur ${total} à l’objectif`,
  coverageNote: (daysWithData, daysInPeriod) => `Calculé sur les ${daysWithData} jours sur ${daysInPeriod} où ses données sont connues.`,
  // "les 11 et 12 nov." already ends with the abbreviation's full stop.
  missingDaysNote: (metricName, days) => `${metricName} : données manquantes ${days}${days.endsWith('.') ? '' : '.'}`,
  proratedTargetNote: 'Objectif ramené aux jours couverts.',
  monthlyAverage: 'moyenne mensuelle',
  noDataNote: 'Aucune donnée reçue sur la période.',
  missingMonthsNote: (months) => `Mois sans données : ${months}.`,
  page: 'Page',
  of: '/',
  staleMark: '†',
  correctionsTitle: (version) => `Corrections depuis la version ${version}`,
  correctionsIntro: 'Des données reçues après la version précédente ont modifié ces chiffres.',
  correctionsColumns: { kpi: 'Indicateur', oldValue: 'Ancienne valeur', newValue: 'Nouvelle valeur', foundOn: 'Constaté le' },
  readinessWarning: (kpiNames) =>
    `Données incomplètes : ce rapport a été produit à la date limite alors que des données manquaient encore pour ${kpiNames}. Ces chiffres pourront être corrigés.`,
  staleNote: (platform, account, since, status) =>
    `Données incomplètes : la connexion ${platform} « ${account} » ${since === null ? 'ne s’est encore jamais synchronisée' : `ne se synchronise plus depuis le ${since}`} (${status === 'NEEDS_REAUTHORIZATION' ? 'réautorisation nécessaire' : 'synchronisation en échec'}).`,
  channels: {
    heading: 'Résultats par canal',
    intro:
      'Dépenses, clics et conversions de chaque canal, et leur évolution par rapport au mois précédent. Les écarts des volumes et des coûts se lisent en %.',
    channel: 'Canal',
    total: 'Total',
    figures: { spend: 'Dépenses', clicks: 'Clics', costPerClick: 'CPC', conversions: 'Conversions', costPerAcquisition: 'CPA', roas: 'ROAS' },
    target: 'Objectif',
    trafficNote: (conversionLabel) => `Canal sans publicité : clics = sessions du canal, conversions = ${conversionLabel.toLowerCase()} du canal.`,
    adsTotalNote:
      'Total : dépenses de tous les canaux ; clics et conversions des régies publicitaires (les sessions des canaux sans publicité n’y sont pas ajoutées).',
    partialNote: (name, daysWithData, daysInPeriod) => `${name} : données sur ${daysWithData} jours sur ${daysInPeriod}.`,
    campaigns: 'Campagnes principales',
    campaign: 'Campagne',
    campaignsIntro: 'Les campagnes qui ont le plus dépensé, puis le plus converti.',
  },
};

const EN: ReportLabels = {
  reportTitle: { MONTHLY: 'Monthly performance report', WEEKLY: 'Weekly performance report' },
  preparedBy: 'Prepared by',
  preparedFor: 'For',
  generatedOn: 'Issued on',
  contents: 'Contents',
  summary: 'Summary',
  summaryIntro: 'The month’s key points, most important first. The scorecard that follows has the figures.',
  objective: 'Objective',
  highlights: 'This month at a glance',
  storyPoint: { WIN: 'Win', CONCERN: 'Concern', CAUSE: 'Likely cause', ACTION: 'Next step', OVERVIEW: 'Overview' },
  pmCommentary: 'Project manager’s analysis',
  noPmCommentary: 'No analysis written for this period.',
  narrative: 'Reading the numbers',
  scorecard: 'Scorecard',
  scorecardIntro: 'Value of the month, target and changes. Rates change in percentage points.',
  funnel: 'Conversion funnel',
  funnelIntro: 'Each stage of the funnel and the conversion from the previous stage.',
  kpiDetails: 'KPIs in detail',
  dataCoverage: 'Data coverage',
  dataCoverageIntro: 'Days covered by each KPI’s data over the period.',
  appendix: 'Appendix: KPI definitions',
  appendixIntro: 'How each KPI is calculated.',
  columns: {
    kpi: 'KPI',
    value: 'Value',
    target: 'Target',
    attainment: 'Attainment',
    mom: 'MoM',
    yoy: 'YoY',
    ytd: 'Year to date',
    status: 'Status',
    stage: 'Stage',
    conversion: 'Conversion',
    formula: 'Formula',
    direction: 'Direction',
    coverage: 'Coverage',
    daysWithData: 'Days with data',
  },
  status: {
    ON_TRACK: 'On track',
    AT_RISK: 'At risk',
    OFF_TRACK: 'Off track',
    NO_DATA: 'No data',
    NO_TARGET: 'No target',
  },
  stage: {
    ACQUISITION: 'Acquisition',
    CONVERSION: 'Conversion',
    ENGAGEMENT: 'Engagement',
    REVENUE: 'Revenue',
    REFERRAL: 'Referral',
  },
  higherIsBetter: 'Higher is better',
  lowerIsBetter: 'Lower is better',
  noData: 'No data',
  trendLegend: { actual: 'Actual', target: 'Target', span: 'Last 13 months' },
  vsPreviousMonth: 'vs previous month',
  vsPreviousWeek: 'vs previous week',
  vsLastYear: 'vs last year',
  yearToDate: 'Year to date',
  kpiCountOnTrack: (onTrack, total) => `${onTrack} of ${total} KPIs on target`,
  coverageNote: (daysWithData, daysInPeriod) => `Computed over the ${daysWithData} of ${daysInPeriod} days with data.`,
  missingDaysNote: (metricName, days) => `${metricName}: no data ${days}.`,
  proratedTargetNote: 'Target prorated to the days covered.',
  monthlyAverage: 'monthly average',
  noDataNote: 'No data received for the period.',
  missingMonthsNote: (months) => `Months without data: ${months}.`,
  page: 'Page',
  of: '/',
  staleMark: '†',
  correctionsTitle: (version) => `Corrections since version ${version}`,
  correctionsIntro: 'Data received after the previous version changed these figures.',
  correctionsColumns: { kpi: 'KPI', oldValue: 'Old value', newValue: 'New value', foundOn: 'Found on' },
  readinessWarning: (kpiNames) =>
    `Incomplete data: this report was produced at its deadline while data was still missing for ${kpiNames}. These figures may be corrected.`,
  staleNote: (platform, account, since, status) =>
    `Incomplete data: the ${platform} connection “${account}” ${since === null ? 'has never synced' : `has not synced since ${since}`} (${status === 'NEEDS_REAUTHORIZATION' ? 'reauthorization needed' : 'sync failing'}).`,
  channels: {
    heading: 'Results by channel',
    intro: 'Spend, clicks and conversions of each channel, and their change from the previous month. Volumes and costs change in %.',
    channel: 'Channel',
    total: 'Total',
    figures: { spend: 'Spend', clicks: 'Clicks', costPerClick: 'CPC', conversions: 'Conversions', costPerAcquisition: 'CPA', roas: 'ROAS' },
    target: 'Target',
    trafficNote: (conversionLabel) => `Channel without ads: clicks = the channel’s sessions, conversions = the channel’s ${conversionLabel.toLowerCase()}.`,
    adsTotalNote: 'Total: spend of every channel; clicks and conversions from the ad platforms (sessions of channels without ads are not added).',
    partialNote: (name, daysWithData, daysInPeriod) => `${name}: data on ${daysWithData} of ${daysInPeriod} days.`,
    campaigns: 'Top campaigns',
    campaign: 'Campaign',
    campaignsIntro: 'The campaigns that spent the most, then converted the most.',
  },
};

/**
 * The weekly operational report reads the same pages at week grain: "vs S−1" where the monthly
 * one says "vs M−1", weekly targets explained where they are printed.
 */
const FR_WEEKLY: ReportLabels = {
  ...FR,
  summaryIntro: 'Les points clés de la semaine, du plus important au moins important. Le détail des chiffres suit dans le tableau de bord.',
  highlights: 'L’essentiel de la semaine',
  scorecardIntro:
    'Valeur de la semaine, objectif de la semaine (pour les volumes, l’objectif du mois au prorata des jours) et évolutions : vs S−1 = vs semaine précédente, vs N−1 = même semaine l’an dernier. Les écarts se lisent en points pour les taux.',
  columns: { ...FR.columns, mom: 'vs S−1' },
  trendLegend: { ...FR.trendLegend, span: '13 dernières semaines' },
  missingMonthsNote: (weeks) => `Semaines sans données : ${weeks}.`,
  channels: {
    ...FR.channels,
    intro:
      'Dépenses, clics et conversions de chaque canal cette semaine, et leur évolution par rapport à la semaine précédente (en % pour les volumes et les coûts). Objectifs : ceux du mois ramenés à la semaine.',
  },
};

const EN_WEEKLY: ReportLabels = {
  ...EN,
  summaryIntro: 'The week’s key points, most important first. The scorecard that follows has the figures.',
  highlights: 'This week at a glance',
  scorecardIntro:
    'Value of the week, weekly target (for volumes, the monthly target prorated by days) and changes: WoW = vs previous week, YoY = same week last year. Rates change in percentage points.',
  columns: { ...EN.columns, mom: 'WoW' },
  trendLegend: { ...EN.trendLegend, span: 'Last 13 weeks' },
  missingMonthsNote: (weeks) => `Weeks without data: ${weeks}.`,
  channels: {
    ...EN.channels,
    intro:
      'Spend, clicks and conversions of each channel this week, and their change from the previous week (in % for volumes and costs). Targets: the monthly ones brought to the week.',
  },
};

export function reportLabels(locale: Locale, kind: ReportPeriodKind = 'MONTHLY'): ReportLabels {
  if (kind === 'WEEKLY') return locale === 'fr' ? FR_WEEKLY : EN_WEEKLY;
  return locale === 'fr' ? FR : EN;
}
