import type { KpiUnit } from '../domain';

export type TargetSplitMode = 'EVEN' | 'SEASONAL';

export interface AnnualTargetSplit {
  /** One target per month, in order. */
  readonly targets: number[];
  /** The mode actually used (SEASONAL falls back to EVEN when last year cannot guide it). */
  readonly mode: TargetSplitMode;
  readonly fallbackReason?: 'LAST_YEAR_INCOMPLETE' | 'LAST_YEAR_EMPTY';
}

/** Decimal places a target of this unit is rounded to when split. */
function decimalsOf(unit: KpiUnit): number {
  if (unit === 'COUNT') return 0;
  if (unit === 'CURRENCY') return 2;
  return 4;
}

/**
 * Splits `total` into parts proportional to `weights`, rounded to `decimals`, so that the
 * rounded parts add up exactly to the rounded total (largest-remainder method: the units lost
 * to rounding go to the parts that lost the most).
 */
function apportion(total: number, weights: readonly number[], decimals: number): number[] {
  const scale = 10 ** decimals;
  const units = Math.round(total * scale);
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  const exact = weights.map((weight) => (units * weight) / weightSum);
  const floors = exact.map(Math.floor);
  let remainder = units - floors.reduce((sum, value) => sum + value, 0);
  const order = exact
    .map((value, index) => ({ index, fraction: value - Math.floor(value) }))
    .sort((a, b) => b.fraction - a.fraction || a.index - b.index);
  for (const { index } of order) {
    if (remainder <= 0) break;
    floors[index] += 1;
    remainder -= 1;
  }
  return floors.map((value) => value / scale);
}

/**
 * Monthly targets from an annual goal, as the seeds describe ("fixer un objectif pour chaque
 * mois de l'année"):
 *  - FLOW KPIs (counts, revenue) are split so that the months add up exactly to the annual
 *    goal — evenly, or following last year's monthly shares (seasonality) when last year has
 *    a value for every month and a positive total;
 *  - LEVEL KPIs (rates, ratios, stocks) are not split: a 3 % conversion-rate goal is 3 % every
 *    month.
 */
export function splitAnnualTarget(input: {
  annual: number;
  months?: number;
  mode: TargetSplitMode;
  kind: 'FLOW' | 'LEVEL';
  unit: KpiUnit;
  lastYear?: ReadonlyArray<number | null>;
}): AnnualTargetSplit {
  const months = input.months ?? 12;
  if (!Number.isInteger(months) || months < 1 || months > 12) throw new RangeError(`months must be 1..12, got ${months}`);
  if (!Number.isFinite(input.annual)) throw new RangeError('annual target must be a finite number');
  if (input.kind === 'LEVEL') {
    return { targets: Array.from({ length: months }, () => input.annual), mode: input.mode };
  }
  const decimals = decimalsOf(input.unit);
  const even = (): number[] => apportion(input.annual, Array.from({ length: months }, () => 1), decimals);
  if (input.mode === 'EVEN') return { targets: even(), mode: 'EVEN' };

  const lastYear = input.lastYear ?? [];
  const complete = lastYear.length >= months && lastYear.slice(0, months).every((value) => value !== null && Number.isFinite(value) && value >= 0);
  if (!complete) return { targets: even(), mode: 'EVEN', fallbackReason: 'LAST_YEAR_INCOMPLETE' };
  const weights = lastYear.slice(0, months).map((value) => value ?? 0);
  if (weights.reduce((sum, value) => sum + value, 0) <= 0) {
    return { targets: even(), mode: 'EVEN', fallbackReason: 'LAST_YEAR_EMPTY' };
  }
  return { targets: apportion(input.annual, weights, decimals), mode: 'SEASONAL' };
}

/**
 * Why a target value is unacceptable for a KPI of this unit, or null when it is fine.
 * PERCENT targets are fractions (0.03 = 3 %); up to 10 (1000 %) allows growth-rate KPIs.
 */
export function validateTargetValue(value: number, unit: KpiUnit): string | null {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if ((unit === 'COUNT' || unit === 'CURRENCY' || unit === 'DURATION') && value < 0) {
    return `must not be negative for a ${unit.toLowerCase()} KPI`;
  }
  if (unit === 'PERCENT' && (value < 0 || value > 10)) return 'must be a fraction between 0 and 10 (0.03 means 3 %)';
  return null;
}
