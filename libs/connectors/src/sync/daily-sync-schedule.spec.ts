import { dueDailySync, localHour } from './daily-sync-schedule';

describe(dueDailySync.name, () => {
  const provider = { lookbackDays: 3 };
  // 2026-12-03 05:30 in Paris (UTC+1), 23:30 the day before in New York.
  const now = new Date('2026-12-03T04:30:00Z');
  const paris = (dataThrough: string | null, backfillFrom: string | null = '2024-11-01') => ({ dataThrough, backfillFrom, timeZone: 'Europe/Paris' });

  it('reads the hour of the client’s own time zone', () => {
    expect(localHour(now, 'Europe/Paris')).toBe(5);
    expect(localHour(now, 'America/New_York')).toBe(23);
    expect(localHour(new Date('2026-07-01T22:00:00Z'), 'Europe/Paris')).toBe(0);
  });

  it('is due from the configured local hour, over the lookback window ending yesterday', () => {
    expect(dueDailySync(now, paris('2026-11-30'), provider, 4)).toEqual({ from: '2026-11-29', to: '2026-12-02' });
    expect(dueDailySync(now, paris('2026-11-30'), provider, 6)).toBeNull();
  });

  it('is not due once the figures reach yesterday, so the hourly tick queues one run a day', () => {
    expect(dueDailySync(now, paris('2026-12-02'), provider, 4)).toBeNull();
    expect(dueDailySync(now, paris('2026-12-03'), provider, 4)).toBeNull();
  });

  it('uses the client’s yesterday, not the server’s', () => {
    // Still 2 December in New York: yesterday there is 1 December, already pulled.
    expect(dueDailySync(now, { dataThrough: '2026-12-01', backfillFrom: null, timeZone: 'America/New_York' }, provider, 4)).toBeNull();
    expect(dueDailySync(now, paris('2026-12-01'), provider, 4)).toEqual({ from: '2026-11-29', to: '2026-12-02' });
  });

  it('reaches back to the day after the last one pulled when the connection fell behind', () => {
    expect(dueDailySync(now, paris('2026-11-20'), provider, 4)).toEqual({ from: '2026-11-21', to: '2026-12-02' });
  });

  it('never reaches before the start of the connection’s history', () => {
    expect(dueDailySync(now, paris('2026-11-20', '2026-11-30'), provider, 4)).toEqual({ from: '2026-11-30', to: '2026-12-02' });
    expect(dueDailySync(now, paris(null, '2026-12-01'), provider, 4)).toEqual({ from: '2026-12-01', to: '2026-12-02' });
    expect(dueDailySync(now, paris(null, '2026-12-03'), provider, 4)).toBeNull();
  });

  it('syncs the lookback window of a connection that has pulled nothing yet', () => {
    expect(dueDailySync(now, paris(null, null), provider, 0)).toEqual({ from: '2026-11-29', to: '2026-12-02' });
  });
});
