import { addDays, isValidIsoDate } from '../periods';
import { anomalyScoreThreshold, type Sensitivity } from './alert-sensitivity';

/** Daily values of a KPI by ISO date; null (or absent) = no value that day, which is never zero. */
export type DailySeries = ReadonlyMap<string, number | null>;

/** Same weekdays looked back at: the previous 8 weeks. */
export const ANOMALY_HISTORY_WEEKS = 8;
/** Fewer same-weekday values than this is not enough history to judge a day. */
export const ANOMALY_MIN_SAMPLE = 6;
/** 0.6745 = Φ⁻¹(0.75): MAD / 0.6745 estimates σ for normal data (Iglewicz & Hoaglin, 1993). */
const MAD_CONSISTENCY = 0.6745;
/** √(π/2) ≈ 1.2533: mean absolute deviation × 1.2533 estimates σ for normal data. */
const MEAN_AD_CONSISTENCY = 1.2533;
/** When all past values are equal, a move of 5 % of their level counts as one σ. */
const RELATIVE_SCALE_FLOOR = 0.05;

export interface AnomalyFinding {
  readonly rule: 'ANOMALY';
  readonly date: string;
  readonly value: number;
  /** Median of the same weekday over the previous weeks. */
  readonly median: number;
  /** Median absolute deviation from that median (0 when the fallback scale was used). */
  readonly mad: number;
  /** Modified z-score, signed: positive above the usual values. */
  readonly score: number;
  readonly direction: 'UP' | 'DOWN';
  /** Number of same-weekday values the median was taken over (6 to 8). */
  readonly sample: number;
  /** The threshold |score| went over, from the sensitivity. */
  readonly threshold: number;
}

/**
 * Judges one day of a KPI's daily series against the same weekday of the previous 8 weeks.
 *
 * Why this method: marketing series have a weekly cycle (weekends lower for B2B, higher for
 * retail), so a day is compared with its own weekday only, otherwise every Sunday would be an
 * anomaly. Why median/MAD rather than mean/σ: the outliers we look for inflate the mean and σ of
 * the history they sit in (one past spike would mask the next one), while the median and the
 * median absolute deviation ignore up to half the sample. The score is Iglewicz & Hoaglin's
 * modified z-score, 0.6745·(x − median)/MAD. When MAD is 0 (at least half the past values are
 * equal), the scale falls back to 1.2533 × the mean absolute deviation around the median; when
 * that is 0 too (all past values equal), to 5 % of |median|; a history constant at 0 has no
 * scale at all and is not judged.
 *
 * Returns null when the day has no value (missing data is the NO_DATA rule's business), when
 * fewer than 6 of the 8 previous same weekdays have values, or when the day is within the band.
 */
export function detectAnomaly(series: DailySeries, day: string, sensitivity: Sensitivity): AnomalyFinding | null {
  if (!isValidIsoDate(day)) {
    throw new RangeError(`Anomaly detection: '${String(day)}' is not a date in the form YYYY-MM-DD`);
  }
  const threshold = anomalyScoreThreshold(sensitivity);
  const value = series.get(day) ?? null;
  if (value === null) {
    return null;
  }
  assertFinite(value, day);
  const history: number[] = [];
  for (let week = 1; week <= ANOMALY_HISTORY_WEEKS; week++) {
    const date = addDays(day, -7 * week);
    const past = series.get(date) ?? null;
    if (past !== null) {
      assertFinite(past, date);
      history.push(past);
    }
  }
  if (history.length < ANOMALY_MIN_SAMPLE) {
    return null;
  }
  const center = median(history);
  const mad = median(history.map((past) => Math.abs(past - center)));
  const scale = robustScale(history, center, mad);
  if (scale === 0) {
    return null;
  }
  const score = (value - center) / scale;
  if (Math.abs(score) <= threshold) {
    return null;
  }
  return { rule: 'ANOMALY', date: day, value, median: center, mad, score, direction: score > 0 ? 'UP' : 'DOWN', sample: history.length, threshold };
}

/** An estimate of σ: MAD / 0.6745, else 1.2533 × mean absolute deviation, else 5 % of |median|. */
function robustScale(history: readonly number[], center: number, mad: number): number {
  if (mad > 0) {
    return mad / MAD_CONSISTENCY;
  }
  const meanAbsoluteDeviation = history.reduce((sum, past) => sum + Math.abs(past - center), 0) / history.length;
  if (meanAbsoluteDeviation > 0) {
    return MEAN_AD_CONSISTENCY * meanAbsoluteDeviation;
  }
  return RELATIVE_SCALE_FLOOR * Math.abs(center);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function assertFinite(value: number, date: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`Anomaly detection: the value of ${date} is not a finite number (${String(value)})`);
  }
}
