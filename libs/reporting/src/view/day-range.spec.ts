import { formatDayRange } from './day-range';

describe(formatDayRange.name, () => {
  it('names one day, two days, a run and a run across months, in French and English', () => {
    expect(formatDayRange('2026-11-11', '2026-11-11', 'fr')).toBe('le 11 nov.');
    expect(formatDayRange('2026-11-11', '2026-11-12', 'fr')).toBe('les 11 et 12 nov.');
    expect(formatDayRange('2026-11-03', '2026-11-09', 'fr')).toBe('du 3 au 9 nov.');
    expect(formatDayRange('2026-10-30', '2026-11-02', 'fr')).toBe('du 30 oct. au 2 nov.');
    expect(formatDayRange('2026-11-01', '2026-11-01', 'fr')).toBe('le 1er nov.');
    expect(formatDayRange('2026-11-01', '2026-11-03', 'fr')).toBe('du 1er au 3 nov.');
    expect(formatDayRange('2026-11-11', '2026-11-11', 'en')).toBe('on Nov 11');
    expect(formatDayRange('2026-11-01', '2026-11-01', 'en')).toBe('on Nov 1');
    expect(formatDayRange('2026-11-11', '2026-11-12', 'en')).toBe('on Nov 11–12');
    expect(formatDayRange('2026-10-30', '2026-11-02', 'en')).toBe('from Oct 30 to Nov 2');
  });
});
