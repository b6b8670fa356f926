import type { KpiUnit } from '../domain';

/**
 * Highest PERCENT target accepted. PERCENT values are fractions (0.125 = 12.5 %); 10 (1 000 %)
 * leaves room for growth-rate KPIs while refusing most targets typed in percent instead of as a
 * fraction (12.5 or 125 for 12.5 %).
 */
export const MAX_PERCENT_TARGET = 10;

const NON_NEGATIVE_UNITS: ReadonlySet<KpiUnit> = new Set<KpiUnit>(['COUNT', 'CURRENCY', 'DURATION']);

/**
 * Why a target value is unacceptable for a KPI of this unit, or null when it is fine. The message
 * completes a field name ("value: must not be negative for a count KPI"), as the API reports it.
 */
export function validateTargetValue(value: number, unit: KpiUnit): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return 'must be a finite number';
  }
  if (NON_NEGATIVE_UNITS.has(unit) && value < 0) {
    return `must not be negative for a ${unit.toLowerCase()} KPI`;
  }
  if (unit === 'PERCENT' && (value < 0 || value > MAX_PERCENT_TARGET)) {
    return `must be a fraction between 0 and ${MAX_PERCENT_TARGET} (0.03 means 3 %)`;
  }
  return null;
}
