import type { KpiUnit } from '../domain';
import type { TargetKind } from './target-kind';
import { validateTargetValue } from './validate-target-value';

export type TargetSplitMode = 'EVEN' | 'SEASONAL';

/** Why a SEASONAL split was not followed and the targets are EVEN. */
export type TargetSplitFallbackReason =
  /** Last year's monthly values are missing, of another length than the split, or lack a month. */
  | 'LAST_YEAR_INCOMPLETE'
  /** A month of last year is negative: it cannot be a share. */
  | 'LAST_YEAR_NEGATIVE'
  /** Last year adds up to 0: there are no shares to follow. */
  | 'LAST_YEAR_EMPTY'
  /** The KPI is a LEVEL: its target is the same every month, a rate is not split. */
  | 'LEVEL_NOT_SPLIT';

export interface AnnualTargetSplitInput {
  readonly annual: number;
  /** Number of months to fill; 12 when omitted. */
  readonly months?: number;
  readonly mode: TargetSplitMode;
  readonly kind: TargetKind;
  readonly unit: KpiUnit;
  /** Last year's actual value for each month, in order; read by SEASONAL only. */
  readonly lastYear?: ReadonlyArray<number | null>;
}

export interface AnnualTargetSplit {
  /** One target per month, in order. */
  readonly targets: number[];
  /** The mode actually used: EVEN when SEASONAL fell back (see fallbackReason). A LEVEL's repeated target is EVEN. */
  readonly mode: TargetSplitMode;
  /** Why SEASONAL was asked for and not used; null otherwise. */
  readonly fallbackReason: TargetSplitFallbackReason | null;
}

export const DEFAULT_SPLIT_MONTHS = 12;
export const MAX_SPLIT_MONTHS = 120;

/**
 * Decimals of a monthly FLOW target: whole units for counts, cents for money, 4 decimals for the
 * rest (durations, and scores or ratios an agency declared as flows on a custom KPI).
 */
function flowDecimals(unit: KpiUnit): number {
  if (unit === 'COUNT') {
    return 0;
  }
  return unit === 'CURRENCY' ? 2 : 4;
}

/**
 * Splits an annual target into monthly targets, as the seed articles advise ("fixer un objectif
 * pour chaque mois de l'année").
 *
 * A FLOW target (sessions, leads, revenue) is divided so that the months add up exactly to the
 * annual target: the split is done in whole steps of the unit's precision (1 for counts, 0.01 for
 * money) by the largest-remainder method, so 1 000 leads over 12 months gives four months of 84
 * and eight of 83, never 83.33 × 12 = 999.96. The annual target is first rounded to that precision
 * (1 000.4 leads are split as 1 000). The sum is exact in those steps; adding the returned doubles
 * may show binary noise (sum cents, not euros, to check it). EVEN gives equal shares, the extra
 * steps going to the first months; SEASONAL follows last year's monthly shares and falls back to
 * EVEN, with a reason, when last year is missing, incomplete, negative or adds up to 0.
 *
 * A LEVEL target (conversion rate, churn, subscribers) is repeated each month: a rate is not split.
 *
 * @throws RangeError when the annual target is invalid for the unit (see validateTargetValue),
 *   too large to split exactly, or when months is not an integer from 1 to MAX_SPLIT_MONTHS.
 */
export function splitAnnualTarget(input: AnnualTargetSplitInput): AnnualTargetSplit {
  const { annual, mode, kind, unit, lastYear } = input;
  const months = input.months ?? DEFAULT_SPLIT_MONTHS;
  if (!Number.isInteger(months) || months < 1 || months > MAX_SPLIT_MONTHS) {
    throw new RangeError(`A target is split over 1 to ${MAX_SPLIT_MONTHS} months, not ${months}`);
  }
  const invalid = validateTargetValue(annual, unit);
  if (invalid !== null) {
    throw new RangeError(`Annual target ${invalid}`);
  }
  if (kind === 'LEVEL') {
    return {
      targets: Array.from({ length: months }, () => annual),
      mode: 'EVEN',
      fallbackReason: mode === 'SEASONAL' ? 'LEVEL_NOT_SPLIT' : null,
    };
  }

  const scale = 10 ** flowDecimals(unit);
  const units = Math.round(annual * scale);
  if (!Number.isSafeInteger(units)) {
    throw new RangeError(`Annual target ${annual} is too large to split exactly`);
  }
  const toTargets = (parts: readonly number[]): number[] => parts.map((part) => part / scale);
  if (mode === 'EVEN') {
    return { targets: toTargets(splitEvenly(units, months)), mode: 'EVEN', fallbackReason: null };
  }
  const weights = seasonalWeights(lastYear, months);
  if (typeof weights === 'string') {
    return { targets: toTargets(splitEvenly(units, months)), mode: 'EVEN', fallbackReason: weights };
  }
  return { targets: toTargets(splitByWeights(units, weights)), mode: 'SEASONAL', fallbackReason: null };
}

function splitEvenly(units: number, months: number): number[] {
  const base = Math.floor(units / months);
  const remainder = units - base * months;
  return Array.from({ length: months }, (_, index) => base + (index < remainder ? 1 : 0));
}

function seasonalWeights(lastYear: ReadonlyArray<number | null> | undefined, months: number): number[] | TargetSplitFallbackReason {
  if (lastYear === undefined || lastYear.length !== months) {
    return 'LAST_YEAR_INCOMPLETE';
  }
  const weights: number[] = [];
  for (const value of lastYear) {
    if (value === null || !Number.isFinite(value)) {
      return 'LAST_YEAR_INCOMPLETE';
    }
    if (value < 0) {
      return 'LAST_YEAR_NEGATIVE';
    }
    weights.push(value);
  }
  return weights.some((weight) => weight > 0) ? weights : 'LAST_YEAR_EMPTY';
}

/** Largest-remainder (Hamilton) apportionment of `units` whole units along the weights. */
function splitByWeights(units: number, weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const exact = weights.map((weight) => (units * weight) / total);
  const parts = exact.map((share) => Math.floor(share));
  // Months in the order they should receive a leftover unit: largest fractional part first,
  // earlier month first on a tie, so the result is deterministic.
  const order = exact
    .map((share, index) => ({ index, fraction: share - Math.floor(share) }))
    .sort((a, b) => b.fraction - a.fraction || a.index - b.index)
    .map(({ index }) => index);
  let leftover = units - parts.reduce((sum, part) => sum + part, 0);
  // Float rounding can leave the floors one unit away from the total in either direction.
  for (let i = 0; leftover > 0; i = (i + 1) % order.length) {
    const index = order[i] ?? 0;
    parts[index] = (parts[index] ?? 0) + 1;
    leftover -= 1;
  }
  for (let i = order.length - 1; leftover < 0; i = (i - 1 + order.length) % order.length) {
    const index = order[i] ?? 0;
    const part = parts[index] ?? 0;
    if (part > 0) {
      parts[index] = part - 1;
      leftover += 1;
    }
  }
  return parts;
}
