import fc from 'fast-check';
import { addDays } from '../periods';
import { detectAnomaly } from './detect-anomaly';

// 2026-03-12 is a Thursday; its history is the 8 Thursdays before it.
const DAY = '2026-03-12';

/** A series with `history` on the same weekday of the previous weeks (most recent first) and `value` on DAY. */
function seriesOf(history: readonly (number | null)[], value: number | null): Map<string, number | null> {
  const series = new Map<string, number | null>([[DAY, value]]);
  history.forEach((past, index) => series.set(addDays(DAY, -7 * (index + 1)), past));
  return series;
}

const STEADY = [100, 102, 98, 101, 99, 103, 97, 100]; // median 100, MAD 1.5

describe('detectAnomaly', () => {
  it('scores a day with the modified z-score against the same weekday of the previous 8 weeks', () => {
    const finding = detectAnomaly(seriesOf(STEADY, 110), DAY, 'NORMAL');
    expect(finding).toEqual({
      rule: 'ANOMALY',
      date: DAY,
      value: 110,
      median: 100,
      mad: 1.5,
      score: expect.closeTo((0.6745 * 10) / 1.5, 10),
      direction: 'UP',
      sample: 8,
      threshold: 3.5,
    });
  });

  it('flags more at HIGH and less at LOW sensitivity', () => {
    // Score 4.50: over NORMAL's 3.5, under LOW's 5.
    expect(detectAnomaly(seriesOf(STEADY, 110), DAY, 'LOW')).toBeNull();
    // Score -2.70: under HIGH's -2.5 only.
    expect(detectAnomaly(seriesOf(STEADY, 94), DAY, 'NORMAL')).toBeNull();
    expect(detectAnomaly(seriesOf(STEADY, 94), DAY, 'HIGH')).toMatchObject({ direction: 'DOWN', score: expect.closeTo(-2.698, 3) });
    expect(detectAnomaly(seriesOf(STEADY, 95), DAY, 'HIGH')).toBeNull();
  });

  it('compares a day with its own weekday only: low Sundays are normal, a weekday-level Sunday is not', () => {
    const series = new Map<string, number | null>();
    for (let back = 0; back < 9 * 7; back++) {
      const date = addDays(DAY, -back);
      const sunday = back % 7 === 4; // 2026-03-08 is a Sunday
      series.set(date, (sunday ? 20 : 100) + (back % 3));
    }
    expect(detectAnomaly(series, '2026-03-08', 'HIGH')).toBeNull();
    series.set('2026-03-08', 100);
    expect(detectAnomaly(series, '2026-03-08', 'NORMAL')).toMatchObject({ direction: 'UP', median: 21 });
  });

  it('is not blinded by a past spike in the history, unlike a mean and standard deviation', () => {
    const withPastSpike = [100, 102, 98, 101, 99, 103, 97, 1000];
    // The mean of this history is 212.5: 115 is below it, yet far above the usual 100.5.
    expect(detectAnomaly(seriesOf(withPastSpike, 115), DAY, 'NORMAL')).toMatchObject({ median: 100.5, mad: 2, direction: 'UP' });
  });

  it('needs values on at least 6 of the 8 previous same weekdays', () => {
    expect(detectAnomaly(seriesOf([100, 102, 98, 101, 99, 103, null, null], 200), DAY, 'NORMAL')).toMatchObject({ sample: 6 });
    expect(detectAnomaly(seriesOf([100, 102, 98, 101, 99, null, null, null], 200), DAY, 'NORMAL')).toBeNull();
    // A value 9 weeks back is not in the history.
    const series = seriesOf([100, 102, 98, 101, 99, null, null, null], 200);
    series.set(addDays(DAY, -63), 100);
    expect(detectAnomaly(series, DAY, 'NORMAL')).toBeNull();
  });

  it('does not judge a day without a value: missing data is the no-data rule’s business', () => {
    expect(detectAnomaly(seriesOf(STEADY, null), DAY, 'HIGH')).toBeNull();
    const withoutDay = seriesOf(STEADY, null);
    withoutDay.delete(DAY);
    expect(detectAnomaly(withoutDay, DAY, 'HIGH')).toBeNull();
    // A zero is a value, and far below the usual 100.
    expect(detectAnomaly(seriesOf(STEADY, 0), DAY, 'HIGH')).toMatchObject({ direction: 'DOWN' });
  });

  it('reads missing past days as missing, not as zero', () => {
    const missing = [100, 100, 100, 100, 100, 100, null, null];
    const zeros = [100, 100, 100, 100, 100, 100, 0, 0];
    // Constant history: the scale falls to 5 % of the median, 120 scores 4.
    expect(detectAnomaly(seriesOf(missing, 120), DAY, 'NORMAL')).toMatchObject({ mad: 0, score: expect.closeTo(4, 10) });
    // With zeros the history spreads (mean absolute deviation 25): 120 is ordinary.
    expect(detectAnomaly(seriesOf(zeros, 120), DAY, 'NORMAL')).toBeNull();
  });

  it('falls back to 1.2533 times the mean absolute deviation when MAD is 0', () => {
    const finding = detectAnomaly(seriesOf([100, 100, 100, 100, 100, 80, 120, 90], 150), DAY, 'NORMAL');
    expect(finding).toMatchObject({ median: 100, mad: 0, score: expect.closeTo(50 / (1.2533 * 6.25), 10) });
  });

  it('does not judge a history constant at zero: it has no scale', () => {
    expect(detectAnomaly(seriesOf([0, 0, 0, 0, 0, 0, 0, 0], 5), DAY, 'HIGH')).toBeNull();
  });

  it('rejects a malformed day and a value that is not a finite number, naming the date', () => {
    expect(() => detectAnomaly(seriesOf(STEADY, 1), '2026-3-12', 'NORMAL')).toThrow("'2026-3-12' is not a date");
    // NaN two Thursdays back.
    expect(() => detectAnomaly(seriesOf([100, Number.NaN], 1), DAY, 'NORMAL')).toThrow('the value of 2026-02-26 is not a finite number');
  });

  describe('properties', () => {
    // Nine weeks of a weekly cycle: weekday levels, weekends 10 to 50 % of them, and noise of
    // amplitude `noise` drawn, for each weekday, as a shuffle of ±1..±4 noise steps over the 8 past weeks.
    const STEPS = [-4, -3, -2, -1, 1, 2, 3, 4];
    const weeklyCycle = fc.record({
      weekdays: fc.array(fc.double({ min: 50, max: 10_000, noNaN: true }), { minLength: 5, maxLength: 5 }),
      weekendShares: fc.array(fc.double({ min: 0.1, max: 0.5, noNaN: true }), { minLength: 2, maxLength: 2 }),
      noise: fc.double({ min: 0.001, max: 0.02, noNaN: true }),
      steps: fc.array(fc.shuffledSubarray(STEPS, { minLength: 8, maxLength: 8 }), { minLength: 7, maxLength: 7 }),
    });
    // Monday 2026-03-09 .. Sunday 2026-03-15 is the week judged.
    const MONDAY = '2026-03-09';

    function historyOf(cycle: { weekdays: number[]; weekendShares: number[]; noise: number; steps: number[][] }): {
      levels: number[];
      series: Map<string, number | null>;
    } {
      const levels = [...cycle.weekdays, cycle.weekdays[4] * cycle.weekendShares[0], cycle.weekdays[4] * cycle.weekendShares[1]];
      const series = new Map<string, number | null>();
      for (let weekday = 0; weekday < 7; weekday++) {
        for (let week = 1; week <= 8; week++) {
          series.set(addDays(MONDAY, weekday - 7 * week), levels[weekday] * (1 + cycle.noise * cycle.steps[weekday][week - 1]));
        }
      }
      return { levels, series };
    }

    it('does not flag any day of a normal weekly cycle, even at HIGH sensitivity', () => {
      fc.assert(
        fc.property(weeklyCycle, fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 7, maxLength: 7 }), (cycle, steps) => {
          const { levels, series } = historyOf(cycle);
          for (let weekday = 0; weekday < 7; weekday++) {
            const day = addDays(MONDAY, weekday);
            series.set(day, levels[weekday] * (1 + cycle.noise * steps[weekday]));
            expect(detectAnomaly(series, day, 'HIGH')).toBeNull();
          }
        }),
      );
    });

    it('flags a spike or a drop on any day of the cycle, even at LOW sensitivity', () => {
      fc.assert(
        fc.property(
          weeklyCycle,
          fc.integer({ min: 0, max: 6 }),
          fc.oneof(fc.double({ min: 1.5, max: 10, noNaN: true }), fc.double({ min: 0, max: 0.6, noNaN: true })),
          (cycle, weekday, factor) => {
            const { levels, series } = historyOf(cycle);
            const day = addDays(MONDAY, weekday);
            series.set(day, levels[weekday] * factor);
            const finding = detectAnomaly(series, day, 'LOW');
            expect(finding).not.toBeNull();
            expect(finding?.direction).toBe(factor > 1 ? 'UP' : 'DOWN');
            expect(finding?.median).toBeCloseTo(levels[weekday], 6);
          },
        ),
      );
    });

    it('gives the same finding whatever the unit the KPI is counted in', () => {
      // Powers of two scale binary floating point exactly, so the scores must be identical.
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 8, maxLength: 8 }),
          fc.double({ min: 0, max: 5000, noNaN: true }),
          fc.constantFrom(0.25, 0.5, 2, 4, 1024),
          (history, value, unit) => {
            const base = detectAnomaly(seriesOf(history, value), DAY, 'HIGH');
            const scaled = detectAnomaly(
              seriesOf(
                history.map((past) => past * unit),
                value * unit,
              ),
              DAY,
              'HIGH',
            );
            expect(scaled?.score).toBe(base?.score);
            expect(scaled?.direction).toBe(base?.direction);
          },
        ),
      );
    });
  });
});
