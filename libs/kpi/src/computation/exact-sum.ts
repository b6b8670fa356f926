/**
 * Significant digits kept in a sum. A double holds 15 to 17; every decimal with at most 15
 * significant digits survives a round trip through a double, so rounding a sum to 15 digits
 * removes binary noise (0.1 + 0.2 = 0.30000000000000004) without touching any real digit of
 * money (1 234 567 890,12 € has 12) or of counts below 10^15.
 */
export const SUM_SIGNIFICANT_DIGITS = 15;

/**
 * Sums numbers as exactly as doubles allow, for money and counts.
 *
 * Why not integer cents: values arrive as JS numbers of any unit (euros, seconds, counts) and
 * their number of decimals is not declared, so scaling would guess. Instead, Neumaier's
 * compensated summation keeps the error of the whole sum within about one unit in the last place
 * however many values are added (naive summation drifts with the count: a month of 19.99 € orders
 * adds up to 59 970.00000000001 €), and rounding to SUM_SIGNIFICANT_DIGITS removes that last unit.
 * The result is the exact decimal sum whenever that sum has at most 15 significant digits; the
 * relative error is otherwise below 1e-15, far under the 1e-9 a report could ever show.
 */
export function sumExactly(values: Iterable<number>): number {
  let sum = 0;
  let compensation = 0;
  for (const value of values) {
    const next = sum + value;
    // Neumaier: recover the low-order bits lost by whichever operand is smaller in magnitude.
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum;
    sum = next;
  }
  return roundToSignificantDigits(sum + compensation, SUM_SIGNIFICANT_DIGITS);
}

/** Rounds to a number of significant digits, keeping 0, non-finite values and the sign as they are. */
export function roundToSignificantDigits(value: number, digits: number): number {
  if (value === 0 || !Number.isFinite(value)) {
    return value === 0 ? 0 : value;
  }
  return Number(value.toPrecision(digits));
}
