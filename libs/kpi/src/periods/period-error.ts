/** An invalid calendar date, time zone or period (wrong format, start after end, misaligned grain...). */
export class PeriodError extends RangeError {
  override readonly name = 'PeriodError';
}
