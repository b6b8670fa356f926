import type { Locale } from '@pilotage/kpi';

/**
 * Words of a trend chart that the report's labels do not have (the legend's "actual", "target"
 * and span are `ReportLabels.trendLegend`), in the client's language.
 */
export interface TrendChartLabels {
  readonly lastYear: string;
  /** "déc. 2025 à nov. 2026" */
  readonly range: (first: string, last: string) => string;
  /** "de 1,8 % à 2,0 %" */
  readonly fromTo: (first: string, last: string) => string;
  /** "aucune donnée pour nov. 2026" when the reported period has no value. */
  readonly noDataFor: (period: string) => string;
  readonly targetOf: (value: string) => string;
  readonly lastYearOf: (value: string) => string;
  /** "au plus haut 2,3 % en juin 2026" */
  readonly highest: (value: string, period: string) => string;
  readonly lowest: (value: string, period: string) => string;
  readonly missing: (periods: string) => string;
  /** Between the name and the figures: French puts a (no-break) space before the colon. */
  readonly colon: string;
  readonly clauseSeparator: string;
}

const FR: TrendChartLabels = {
  lastYear: 'Année précédente',
  range: (first, last) => `${first} à ${last}`,
  fromTo: (first, last) => `de ${first} à ${last}`,
  noDataFor: (period) => `aucune donnée pour ${period}`,
  targetOf: (value) => `objectif ${value}`,
  lastYearOf: (value) => `l’an dernier ${value}`,
  highest: (value, period) => `au plus haut ${value} en ${period}`,
  lowest: (value, period) => `au plus bas ${value} en ${period}`,
  missing: (periods) => `sans données : ${periods}`,
  colon: '\u00a0: ',
  clauseSeparator: '\u00a0; ',
};

const EN: TrendChartLabels = {
  lastYear: 'Last year',
  range: (first, last) => `${first} to ${last}`,
  fromTo: (first, last) => `from ${first} to ${last}`,
  noDataFor: (period) => `no data for ${period}`,
  targetOf: (value) => `target ${value}`,
  lastYearOf: (value) => `last year ${value}`,
  highest: (value, period) => `highest ${value} in ${period}`,
  lowest: (value, period) => `lowest ${value} in ${period}`,
  missing: (periods) => `no data: ${periods}`,
  colon: ': ',
  clauseSeparator: '; ',
};

export function trendChartLabels(locale: Locale): TrendChartLabels {
  return locale.startsWith('fr') ? FR : EN;
}
