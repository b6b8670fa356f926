import { addDays } from '../periods';
import { detectNoData } from './detect-no-data';

/** Every day from `from` to `to` inclusive. */
function daily(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) dates.push(date);
  return dates;
}

describe('detectNoData', () => {
  const feed = daily('2026-01-01', '2026-03-11');

  it('reports the complete days without a value after the last one of a daily feed', () => {
    expect(detectNoData(feed, '2026-03-15', 3)).toEqual({ rule: 'NO_DATA', lastDate: '2026-03-11', missingDays: 3, expectedFrom: '2026-03-12' });
    expect(detectNoData(feed, '2026-03-15', 4)).toBeNull();
  });

  it('does not count today: its values are never complete', () => {
    expect(detectNoData(feed, '2026-03-14', 3)).toBeNull();
    expect(detectNoData(feed, '2026-03-12', 1)).toBeNull();
    expect(detectNoData(feed, '2026-03-13', 1)).toMatchObject({ missingDays: 1, expectedFrom: '2026-03-12' });
  });

  it('expects data only when values came on at least 80 % of the 28 days before the last one', () => {
    // 23 of the 28 days (82 %): daily, expected.
    const mostDays = feed.filter((date) => !['2026-02-12', '2026-02-15', '2026-02-20', '2026-02-25', '2026-03-01'].includes(date));
    expect(detectNoData(mostDays, '2026-03-20', 3)).toMatchObject({ missingDays: 8 });
    // 22 of the 28 days (79 %): not a daily feed.
    const fewerDays = mostDays.filter((date) => date !== '2026-03-05');
    expect(detectNoData(fewerDays, '2026-03-20', 3)).toBeNull();
  });

  it('never alerts for a weekly or a monthly feed, however long the gap', () => {
    const mondays = daily('2025-10-06', '2026-03-09').filter((_, index) => index % 7 === 0);
    expect(detectNoData(mondays, '2026-04-30', 3)).toBeNull();
    const firstOfMonths = ['2025-10-01', '2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01', '2026-03-01'];
    expect(detectNoData(firstOfMonths, '2026-04-30', 3)).toBeNull();
  });

  it('ignores values dated after today and repeated dates', () => {
    const withFuture = [...feed, ...feed, '2026-04-01'];
    expect(detectNoData(withFuture, '2026-03-15', 3)).toMatchObject({ lastDate: '2026-03-11', missingDays: 3 });
  });

  it('has nothing to say about a KPI that never had a value', () => {
    expect(detectNoData([], '2026-03-15', 1)).toBeNull();
  });

  it('rejects malformed dates and delays, naming them', () => {
    expect(() => detectNoData(['2026-02-30'], '2026-03-15', 3)).toThrow("'2026-02-30' is not a date");
    expect(() => detectNoData(feed, '15/03/2026', 3)).toThrow("today '15/03/2026'");
    expect(() => detectNoData(feed, '2026-03-15', 0)).toThrow('at least 1, got 0');
  });
});
