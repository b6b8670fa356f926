import type { FunnelStage, KpiDirection, KpiUnit, Locale } from '@pilotage/kpi';
import {
  REPORT_SNAPSHOT_SCHEMA_VERSION,
  type KpiChange,
  type KpiSeriesPoint,
  type KpiStatus,
  type KpiSubject,
  type ReportAgency,
  type ReportClient,
  type ReportKpi,
  type ReportSnapshot,
} from './report-snapshot';
import { mulberry32 } from './seeded-random';

/**
 * A realistic snapshot for tests, previews and the benchmark: "Maison Lumière", a French
 * online shop of lighting and home decor, October 2026, twelve KPIs over the five funnel
 * stages, one KPI without data (NPS survey not received), one with missing days, one series
 * with a missing month.
 */
export interface DemoReportSnapshotOverrides extends Partial<Omit<ReportSnapshot, 'schemaVersion' | 'agency' | 'client'>> {
  /** Varies every number deterministically (the benchmark renders 500 distinct reports). */
  readonly seed?: number;
  readonly client?: Partial<ReportClient>;
  readonly agency?: Partial<ReportAgency>;
}

interface Bilingual {
  readonly fr: string;
  readonly en: string;
}

interface DemoKpiDefinition {
  readonly key: string;
  readonly name: Bilingual;
  readonly subject: { readonly fr: KpiSubject; readonly en: KpiSubject };
  readonly description: Bilingual;
  readonly formula: Bilingual;
  readonly stage: FunnelStage;
  readonly unit: KpiUnit;
  readonly direction: KpiDirection;
  /** October 2026 value; the 12 months before are derived with growth and seasonality. */
  readonly current: number;
  /** Value of September 2026 relative to October (0.95 = September was 5 % lower). */
  readonly previousRatio: number;
  /** Year-on-year growth of the whole series. */
  readonly yearGrowth: number;
  /** Target of October relative to the value. */
  readonly targetRatio: number | null;
  readonly aggregation: 'SUM' | 'AVERAGE';
  readonly noData?: boolean;
  readonly daysWithData?: number;
  readonly missingMonths?: readonly string[];
  readonly commentary?: Bilingual;
}

const PERIOD_MONTHS = [
  '2025-10',
  '2025-11',
  '2025-12',
  '2026-01',
  '2026-02',
  '2026-03',
  '2026-04',
  '2026-05',
  '2026-06',
  '2026-07',
  '2026-08',
  '2026-09',
  '2026-10',
] as const;

/** Home-decor seasonality: Black Friday and Christmas peaks, a summer trough. */
const SEASONALITY: Readonly<Record<string, number>> = {
  '10': 1,
  '11': 1.32,
  '12': 1.45,
  '01': 0.82,
  '02': 0.8,
  '03': 0.9,
  '04': 0.92,
  '05': 0.9,
  '06': 0.86,
  '07': 0.78,
  '08': 0.74,
  '09': 0.95,
};

const DEMO_KPIS: readonly DemoKpiDefinition[] = [
  {
    key: 'sessions',
    name: { fr: 'Sessions', en: 'Sessions' },
    subject: { fr: { text: 'les sessions', plural: true }, en: { text: 'sessions', plural: true } },
    description: { fr: 'Visites du site, tous canaux confondus.', en: 'Website visits across all channels.' },
    formula: { fr: 'Somme des sessions GA4', en: 'Sum of GA4 sessions' },
    stage: 'ACQUISITION',
    unit: 'COUNT',
    direction: 'HIGHER_IS_BETTER',
    current: 184_320,
    previousRatio: 0.93,
    yearGrowth: 0.14,
    targetRatio: 0.95,
    aggregation: 'SUM',
    commentary: {
      fr: "La campagne **Nuits d'automne** a porté le trafic payant : +18 % de sessions issues de Meta.",
      en: 'The **Autumn Nights** campaign lifted paid traffic: +18% sessions from Meta.',
    },
  },
  {
    key: 'cac',
    name: { fr: "Coût d'acquisition client", en: 'Customer acquisition cost' },
    subject: { fr: { text: "le coût d'acquisition client", plural: false }, en: { text: 'customer acquisition cost', plural: false } },
    description: { fr: 'Dépenses média par nouveau client.', en: 'Media spend per new customer.' },
    formula: { fr: 'Dépenses média / nouveaux clients', en: 'Media spend / new customers' },
    stage: 'ACQUISITION',
    unit: 'CURRENCY',
    direction: 'LOWER_IS_BETTER',
    current: 23.1,
    previousRatio: 1.09,
    yearGrowth: -0.06,
    targetRatio: 1.08,
    aggregation: 'AVERAGE',
  },
  {
    key: 'conversion_rate',
    name: { fr: 'Taux de conversion', en: 'Conversion rate' },
    subject: { fr: { text: 'le taux de conversion', plural: false }, en: { text: 'conversion rate', plural: false } },
    description: { fr: 'Part des sessions qui se terminent par une commande.', en: 'Share of sessions ending in an order.' },
    formula: { fr: 'Commandes / sessions', en: 'Orders / sessions' },
    stage: 'CONVERSION',
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    current: 0.0284,
    previousRatio: 0.0244 / 0.0284,
    yearGrowth: 0.08,
    targetRatio: 0.025 / 0.0284,
    aggregation: 'AVERAGE',
    commentary: {
      fr: 'Le nouveau tunnel de paiement en une page a été mis en ligne le 6 octobre.\nPremier effet visible dès la deuxième semaine.',
      en: 'The new one-page checkout went live on 6 October.\nFirst effect visible from the second week.',
    },
  },
  {
    key: 'orders',
    name: { fr: 'Commandes', en: 'Orders' },
    subject: { fr: { text: 'les commandes', plural: true }, en: { text: 'orders', plural: true } },
    description: { fr: 'Commandes validées et payées.', en: 'Confirmed and paid orders.' },
    formula: { fr: 'Somme des commandes payées', en: 'Sum of paid orders' },
    stage: 'CONVERSION',
    unit: 'COUNT',
    direction: 'HIGHER_IS_BETTER',
    current: 5_234,
    previousRatio: 0.81,
    yearGrowth: 0.19,
    targetRatio: 0.92,
    aggregation: 'SUM',
  },
  {
    key: 'cart_abandonment_rate',
    name: { fr: "Taux d'abandon de panier", en: 'Cart abandonment rate' },
    subject: { fr: { text: "le taux d'abandon de panier", plural: false }, en: { text: 'cart abandonment rate', plural: false } },
    description: { fr: 'Paniers créés qui ne deviennent pas des commandes.', en: 'Carts created that never become orders.' },
    formula: { fr: '1 − commandes / paniers créés', en: '1 − orders / carts created' },
    stage: 'CONVERSION',
    unit: 'PERCENT',
    direction: 'LOWER_IS_BETTER',
    current: 0.712,
    previousRatio: 0.698 / 0.712,
    yearGrowth: -0.02,
    targetRatio: 0.68 / 0.712,
    aggregation: 'AVERAGE',
  },
  {
    key: 'newsletter_open_rate',
    name: { fr: "Taux d'ouverture newsletter", en: 'Newsletter open rate' },
    subject: { fr: { text: "le taux d'ouverture de la newsletter", plural: false }, en: { text: 'newsletter open rate', plural: false } },
    description: { fr: 'Ouvertures rapportées aux envois, renvois compris.', en: 'Opens over sends, resends included.' },
    formula: { fr: 'Ouvertures / envois', en: 'Opens / sends' },
    stage: 'ENGAGEMENT',
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    current: 0.264,
    previousRatio: 0.281 / 0.264,
    yearGrowth: 0.03,
    targetRatio: 0.3 / 0.264,
    aggregation: 'AVERAGE',
    commentary: {
      fr: 'Deux envois sur quatre sont partis le samedi : nous revenons au mardi matin en novembre.',
      en: 'Two sends out of four went out on a Saturday: back to Tuesday mornings in November.',
    },
  },
  {
    key: 'avg_session_duration',
    name: { fr: 'Durée moyenne de session', en: 'Average session duration' },
    subject: { fr: { text: 'la durée moyenne de session', plural: false }, en: { text: 'average session duration', plural: false } },
    description: { fr: 'Temps passé sur le site par session.', en: 'Time spent on the site per session.' },
    formula: { fr: 'Durée totale des sessions / sessions', en: 'Total session duration / sessions' },
    stage: 'ENGAGEMENT',
    unit: 'DURATION',
    direction: 'HIGHER_IS_BETTER',
    current: 155,
    previousRatio: 0.97,
    yearGrowth: 0.05,
    targetRatio: 150 / 155,
    aggregation: 'AVERAGE',
    daysWithData: 27,
  },
  {
    key: 'revenue',
    name: { fr: "Chiffre d'affaires", en: 'Revenue' },
    subject: { fr: { text: "le chiffre d'affaires", plural: false }, en: { text: 'revenue', plural: false } },
    description: { fr: "Chiffre d'affaires TTC des commandes payées.", en: 'Revenue of paid orders, taxes included.' },
    formula: { fr: 'Somme des montants des commandes payées', en: 'Sum of paid order amounts' },
    stage: 'REVENUE',
    unit: 'CURRENCY',
    direction: 'HIGHER_IS_BETTER',
    current: 412_863.4,
    previousRatio: 0.84,
    yearGrowth: 0.17,
    targetRatio: 0.97,
    aggregation: 'SUM',
  },
  {
    key: 'average_order_value',
    name: { fr: 'Panier moyen', en: 'Average order value' },
    subject: { fr: { text: 'le panier moyen', plural: false }, en: { text: 'average order value', plural: false } },
    description: { fr: "Montant moyen d'une commande.", en: 'Average amount of an order.' },
    formula: { fr: "Chiffre d'affaires / commandes", en: 'Revenue / orders' },
    stage: 'REVENUE',
    unit: 'CURRENCY',
    direction: 'HIGHER_IS_BETTER',
    current: 78.88,
    previousRatio: 1.035,
    yearGrowth: -0.02,
    targetRatio: 82 / 78.88,
    aggregation: 'AVERAGE',
  },
  {
    key: 'roas',
    name: { fr: 'ROAS', en: 'ROAS' },
    subject: { fr: { text: 'le ROAS', plural: false }, en: { text: 'ROAS', plural: false } },
    description: { fr: "Chiffre d'affaires généré par euro de média investi.", en: 'Revenue generated per unit of media spend.' },
    formula: { fr: "Chiffre d'affaires attribué / dépenses média", en: 'Attributed revenue / media spend' },
    stage: 'REVENUE',
    unit: 'RATIO',
    direction: 'HIGHER_IS_BETTER',
    current: 4.6,
    previousRatio: 0.91,
    yearGrowth: 0.1,
    targetRatio: 4 / 4.6,
    aggregation: 'AVERAGE',
  },
  {
    key: 'nps',
    name: { fr: 'Net Promoter Score', en: 'Net Promoter Score' },
    subject: { fr: { text: 'le Net Promoter Score', plural: false }, en: { text: 'Net Promoter Score', plural: false } },
    description: { fr: 'Promoteurs moins détracteurs, enquête post-achat.', en: 'Promoters minus detractors, post-purchase survey.' },
    formula: { fr: '% promoteurs − % détracteurs', en: '% promoters − % detractors' },
    stage: 'REFERRAL',
    unit: 'SCORE',
    direction: 'HIGHER_IS_BETTER',
    current: 41,
    previousRatio: 1,
    yearGrowth: 0.05,
    targetRatio: 45 / 41,
    aggregation: 'AVERAGE',
    noData: true,
    missingMonths: ['2026-09'],
  },
  {
    key: 'referral_orders',
    name: { fr: 'Commandes parrainées', en: 'Referral orders' },
    subject: { fr: { text: 'les commandes parrainées', plural: true }, en: { text: 'referral orders', plural: true } },
    description: { fr: 'Commandes passées avec un code de parrainage.', en: 'Orders placed with a referral code.' },
    formula: { fr: 'Somme des commandes avec code parrain', en: 'Sum of orders with a referral code' },
    stage: 'REFERRAL',
    unit: 'COUNT',
    direction: 'HIGHER_IS_BETTER',
    current: 186,
    previousRatio: 0.9,
    yearGrowth: 0.35,
    targetRatio: 220 / 186,
    aggregation: 'SUM',
    missingMonths: ['2026-02'],
  },
];

function roundFor(unit: KpiUnit, value: number): number {
  switch (unit) {
    case 'COUNT':
    case 'DURATION':
    case 'SCORE':
      return Math.round(value);
    case 'CURRENCY':
      return Math.round(value * 100) / 100;
    case 'PERCENT':
      return Math.round(value * 10_000) / 10_000;
    case 'RATIO':
      return Math.round(value * 100) / 100;
  }
}

function changeBetween(unit: KpiUnit, value: number | null, reference: number | null): KpiChange | null {
  if (value === null || reference === null) return null;
  const absolute = value - reference;
  const percent = reference === 0 ? null : absolute / Math.abs(reference);
  return unit === 'PERCENT' ? { kind: 'POINTS', absolute, percent, points: absolute * 100 } : { kind: 'PERCENT', absolute, percent, points: null };
}

function statusOf(attainment: number | null, hasValue: boolean, hasTarget: boolean): KpiStatus {
  if (!hasValue) return 'NO_DATA';
  if (!hasTarget || attainment === null) return 'NO_TARGET';
  if (attainment >= 1) return 'ON_TRACK';
  if (attainment >= 0.9) return 'AT_RISK';
  return 'OFF_TRACK';
}

function buildKpi(definition: DemoKpiDefinition, locale: Locale, random: () => number): ReportKpi {
  const jitter = (spread: number): number => 1 + (random() - 0.5) * 2 * spread;
  const current = roundFor(definition.unit, definition.current * jitter(0.06));
  const seasonal = definition.aggregation === 'SUM';
  const series: KpiSeriesPoint[] = PERIOD_MONTHS.map((period, index) => {
    const monthsBack = PERIOD_MONTHS.length - 1 - index;
    const month = period.slice(5);
    let raw: number;
    if (monthsBack === 0) raw = current;
    else if (monthsBack === 1) raw = current * definition.previousRatio * jitter(0.01);
    else {
      const growth = Math.pow(1 + definition.yearGrowth, -monthsBack / 12);
      const season = seasonal ? (SEASONALITY[month] ?? 1) : 1;
      raw = current * growth * season * jitter(0.04);
    }
    const target = definition.targetRatio === null ? null : roundFor(definition.unit, raw * definition.targetRatio * (monthsBack === 0 ? 1 : jitter(0.03)));
    const missing = definition.missingMonths?.includes(period) === true || (definition.noData === true && monthsBack === 0);
    return { period, value: missing ? null : roundFor(definition.unit, raw), target, raw };
  }).map(({ raw, ...point }, index, points): KpiSeriesPoint => {
    // Last year's same month: the first point for the reported month (as the YoY), otherwise
    // the month's level brought back a year (no random draw, so the values above stay as they were).
    const yearAgo = index === points.length - 1 ? (points[0]?.value ?? null) : roundFor(definition.unit, raw / (1 + definition.yearGrowth));
    return { ...point, lastYear: definition.noData === true ? null : yearAgo };
  });
  const last = series[series.length - 1];
  const previous = series[series.length - 2];
  const yearAgo = series[0];
  const value = last?.value ?? null;
  const target = definition.targetRatio === null ? null : roundFor(definition.unit, definition.current * definition.targetRatio);
  const attainment =
    value === null || target === null || value === 0 || target === 0 ? null : definition.direction === 'HIGHER_IS_BETTER' ? value / target : target / value;

  const yearToDate = series
    .filter((point) => point.period.startsWith('2026-'))
    .map((point) => point.value)
    .filter((v): v is number => v !== null);
  const ytdValue =
    value === null || yearToDate.length === 0
      ? null
      : roundFor(
          definition.unit,
          definition.aggregation === 'SUM' ? yearToDate.reduce((a, b) => a + b, 0) : yearToDate.reduce((a, b) => a + b, 0) / yearToDate.length,
        );
  const lastYearYtd = ytdValue === null ? null : roundFor(definition.unit, ytdValue / (1 + definition.yearGrowth) / jitter(0.02));
  const daysInPeriod = 31;
  const daysWithData = definition.noData === true ? 0 : (definition.daysWithData ?? daysInPeriod);

  return {
    key: definition.key,
    name: definition.name[locale],
    subject: definition.subject[locale],
    description: definition.description[locale],
    stage: definition.stage,
    unit: definition.unit,
    direction: definition.direction,
    formula: definition.formula[locale],
    value,
    target,
    attainment,
    status: statusOf(attainment, value !== null, target !== null),
    mom: { value: previous?.value ?? null, change: changeBetween(definition.unit, value, previous?.value ?? null) },
    yoy: { value: yearAgo?.value ?? null, change: changeBetween(definition.unit, value, yearAgo?.value ?? null) },
    ytd: { value: ytdValue, change: changeBetween(definition.unit, ytdValue, lastYearYtd) },
    coverage: daysWithData / daysInPeriod,
    daysWithData,
    daysInPeriod,
    series,
    commentary: definition.commentary?.[locale] ?? null,
  };
}

function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

const AGENCY_LOGO = svgDataUri(
  '<svg xmlns="http://www.w3.org/2000/svg" width="220" height="56" viewBox="0 0 220 56">' +
    '<rect x="0" y="6" width="44" height="44" rx="10" fill="#1f3a5f"/>' +
    '<path d="M12 38 L22 16 L32 38 M16 30 H28" stroke="#f2b134" stroke-width="4" fill="none" stroke-linecap="round" stroke-linejoin="round"/>' +
    '<text x="56" y="36" font-family="Helvetica, Arial, sans-serif" font-size="22" font-weight="700" fill="#1f3a5f">Atelier Nord</text>' +
    '</svg>',
);

const CLIENT_LOGO = svgDataUri(
  '<svg xmlns="http://www.w3.org/2000/svg" width="220" height="56" viewBox="0 0 220 56">' +
    '<circle cx="26" cy="24" r="14" fill="#f2b134"/>' +
    '<rect x="20" y="40" width="12" height="6" rx="2" fill="#3b3b3b"/>' +
    '<text x="52" y="34" font-family="Georgia, serif" font-size="21" fill="#3b3b3b">Maison Lumière</text>' +
    '</svg>',
);

export function demoReportSnapshot(overrides: DemoReportSnapshotOverrides = {}): ReportSnapshot {
  const { seed = 1, client: clientOverrides, agency: agencyOverrides, ...rest } = overrides;
  const locale: Locale = clientOverrides?.locale ?? 'fr';
  const random = mulberry32(seed); // the same seed gives the same report
  const kpis = DEMO_KPIS.map((definition) => buildKpi(definition, locale, random));
  const valueOf = (key: string): number | null => kpis.find((kpi) => kpi.key === key)?.value ?? null;
  const sessions = valueOf('sessions');
  const orders = valueOf('orders');
  const revenue = valueOf('revenue');
  const ratio = (value: number | null, previous: number | null): number | null =>
    value === null || previous === null || previous === 0 ? null : value / previous;

  const agency: ReportAgency = {
    name: 'Atelier Nord',
    branding: {
      logoDataUri: AGENCY_LOGO,
      primaryColor: '#1f3a5f',
      accentColor: '#f2b134',
      fontFamily: 'Inter',
      footerText: locale === 'fr' ? 'Atelier Nord · Agence de marketing digital · Lyon' : 'Atelier Nord · Digital marketing agency · Lyon',
    },
    ...agencyOverrides,
  };
  const client: ReportClient = {
    name: 'Maison Lumière',
    logoDataUri: CLIENT_LOGO,
    locale,
    currency: 'EUR',
    timeZone: 'Europe/Paris',
    ...clientOverrides,
  };
  const fr = locale === 'fr';

  return {
    schemaVersion: REPORT_SNAPSHOT_SCHEMA_VERSION,
    agency,
    client,
    period: { kind: 'MONTHLY', start: '2026-10-01', end: '2026-10-31' },
    generatedAt: '2026-11-02T08:30:00.000Z',
    author: { name: 'Camille Durand' },
    objectives: [
      {
        key: 'grow_online_sales',
        name: fr ? 'Développer les ventes en ligne' : 'Grow online sales',
        kpis: ['revenue', 'orders', 'conversion_rate', 'average_order_value', 'roas'],
      },
      {
        key: 'build_loyalty',
        name: fr ? 'Fidéliser la clientèle' : 'Build customer loyalty',
        kpis: ['newsletter_open_rate', 'nps', 'referral_orders', 'cac'],
      },
    ],
    kpis,
    // Events, each a subset of the one above; the rates are not the demo's (random) conversion
    // KPI, so they name no plan KPI. Revenue is shown apart, referral is not a funnel stage.
    funnel: [
      { stage: 'ACQUISITION', kpiKey: 'sessions', value: sessions, conversionFromPrevious: null, daysWithData: 31, daysInPeriod: 31, rateKpiKey: null },
      {
        stage: 'CONVERSION',
        kpiKey: 'orders',
        value: orders,
        conversionFromPrevious: ratio(orders, sessions),
        daysWithData: 31,
        daysInPeriod: 31,
        rateKpiKey: null,
      },
      {
        stage: 'ENGAGEMENT',
        kpiKey: null,
        label: fr ? 'Commandes de clients déjà acheteurs' : 'Returning customer orders',
        unit: 'COUNT',
        value: orders === null ? null : Math.round(orders * 0.31),
        conversionFromPrevious: orders === null ? null : 0.31,
        daysWithData: 31,
        daysInPeriod: 31,
        rateKpiKey: null,
      },
    ],
    funnelCounts: 'EVENTS',
    funnelRevenue: { kpiKey: 'revenue', label: kpis.find((kpi) => kpi.key === 'revenue')?.name ?? '', value: revenue },
    commentary: fr
      ? "Octobre confirme la dynamique de la rentrée : **le chiffre d'affaires dépasse l'objectif** grâce à la campagne Nuits d'automne et au nouveau tunnel de paiement.\n\nPoint de vigilance : l'abandon de panier reste élevé sur mobile. Nous testons en novembre le paiement express et un rappel de panier à 2 heures.\nL'enquête NPS n'a pas été envoyée ce mois-ci ; elle repart le 5 novembre."
      : 'October confirms the back-to-school momentum: **revenue beats the target** thanks to the Autumn Nights campaign and the new checkout.\n\nWatch point: cart abandonment remains high on mobile. In November we test express checkout and a 2-hour cart reminder.\nThe NPS survey was not sent this month; it restarts on 5 November.',
    narrative: [],
    ...rest,
  };
}
