import { monthlyReadiness } from './monthly-report-schedule';

describe(monthlyReadiness.name, () => {
  const month = '2026-10-01';

  it('generates a complete month as soon as it is due', () => {
    expect(monthlyReadiness({ month, today: '2026-11-04', incompleteKpis: [], capDays: 10 })).toEqual({ decision: 'GENERATE' });
  });

  it('waits for an incomplete month until the cap day (10 days after 31 October: 10 November)', () => {
    expect(monthlyReadiness({ month, today: '2026-11-04', incompleteKpis: ['roas'], capDays: 10 })).toEqual({ decision: 'WAIT' });
    expect(monthlyReadiness({ month, today: '2026-11-09', incompleteKpis: ['roas'], capDays: 10 })).toEqual({ decision: 'WAIT' });
  });

  it('generates an incomplete month at the cap day with the incomplete KPIs, sorted', () => {
    expect(monthlyReadiness({ month, today: '2026-11-10', incompleteKpis: ['sessions', 'roas'], capDays: 10 })).toEqual({
      decision: 'GENERATE_WITH_WARNING',
      incompleteKpis: ['roas', 'sessions'],
    });
    expect(monthlyReadiness({ month, today: '2026-12-02', incompleteKpis: ['roas'], capDays: 10 }).decision).toBe('GENERATE_WITH_WARNING');
  });

  it('counts the cap from the end of a short month and across the year', () => {
    expect(monthlyReadiness({ month: '2026-02-01', today: '2026-03-02', incompleteKpis: ['roas'], capDays: 3 }).decision).toBe('WAIT');
    expect(monthlyReadiness({ month: '2026-02-01', today: '2026-03-03', incompleteKpis: ['roas'], capDays: 3 }).decision).toBe('GENERATE_WITH_WARNING');
    expect(monthlyReadiness({ month: '2026-12-01', today: '2027-01-04', incompleteKpis: ['roas'], capDays: 5 }).decision).toBe('WAIT');
    expect(monthlyReadiness({ month: '2026-12-01', today: '2027-01-05', incompleteKpis: ['roas'], capDays: 5 }).decision).toBe('GENERATE_WITH_WARNING');
  });

  it('rejects a negative cap', () => {
    expect(() => monthlyReadiness({ month, today: '2026-11-10', incompleteKpis: [], capDays: -1 })).toThrow('capDays');
  });
});
