import type { FunnelCount, Locale } from '@pilotage/kpi';

/** The funnel section's texts, per language (the section's title and column heads are in report-labels.ts). */
export interface FunnelLabels {
  readonly intro: Record<FunnelCount, string>;
  /** Drawn and printed in place of a step without data, never 0. */
  readonly missing: string;
  /** The chart's text alternative: `steps` already joined. */
  readonly chartAlt: (period: string, steps: string) => string;
  readonly stepAlt: (name: string, value: string) => string;
  readonly stepAltWithRate: (name: string, value: string, rate: string) => string;
  readonly stepAltMissing: (name: string) => string;
  readonly stepSeparator: string;
  /** Names the plan's KPIs the rates are, so that the reader finds them in the scorecard. */
  readonly ratesArePlanKpis: (names: string) => string;
  readonly partialStep: (name: string, daysWithData: number, daysInPeriod: number) => string;
  readonly partialRates: string;
  readonly missingStep: (name: string) => string;
  /** Heads the revenue figure shown apart: money is not a stage. */
  readonly revenueApart: string;
}

const FR: FunnelLabels = {
  intro: {
    EVENTS:
      'Chaque étape compte des événements (sessions, commandes) qui font partie de l’étape précédente ; le taux de passage est la part de l’étape précédente qui atteint la suivante.',
    PEOPLE:
      'Chaque étape compte des personnes qui font partie de l’étape précédente ; le taux de passage est la part de l’étape précédente qui atteint la suivante.',
  },
  missing: 'Données manquantes',
  chartAlt: (period, steps) => `Entonnoir de conversion, ${period} : ${steps}.`,
  stepAlt: (name, value) => `${name} ${value}`,
  stepAltWithRate: (name, value, rate) => `${name} ${value} (${rate} de l’étape précédente)`,
  stepAltMissing: (name) => `${name} : données manquantes`,
  stepSeparator: ' ; ',
  ratesArePlanKpis: (names) => `Les taux de passage sont les KPI du plan : ${names}.`,
  partialStep: (name, days, total) => `${name} : données sur ${days} des ${total} jours.`,
  partialRates: 'Les taux sont calculés sur les jours où les deux étapes sont renseignées.',
  missingStep: (name) => `${name} : aucune donnée sur la période ; pas de taux vers ni depuis cette étape.`,
  revenueApart: 'En montant, hors entonnoir',
};

const EN: FunnelLabels = {
  intro: {
    EVENTS: 'Each stage counts events (sessions, orders) that are part of the stage above; the rate is the share of the stage above that reached the next one.',
    PEOPLE: 'Each stage counts people who are part of the stage above; the rate is the share of the stage above that reached the next one.',
  },
  missing: 'No data',
  chartAlt: (period, steps) => `Conversion funnel, ${period}: ${steps}.`,
  stepAlt: (name, value) => `${name} ${value}`,
  stepAltWithRate: (name, value, rate) => `${name} ${value} (${rate} of the stage above)`,
  stepAltMissing: (name) => `${name}: no data`,
  stepSeparator: '; ',
  ratesArePlanKpis: (names) => `The rates are the plan’s KPIs: ${names}.`,
  partialStep: (name, days, total) => `${name}: data for ${days} of ${total} days.`,
  partialRates: 'Rates are computed over the days where both stages have data.',
  missingStep: (name) => `${name}: no data for the period; no rate into or out of this stage.`,
  revenueApart: 'In money, apart from the funnel',
};

export function funnelLabels(locale: Locale): FunnelLabels {
  return locale === 'fr' ? FR : EN;
}
