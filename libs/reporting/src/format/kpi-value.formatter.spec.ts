import {
  formatAttainment,
  formatDay,
  formatInstantDate,
  formatKpiChange,
  formatKpiValue,
  formatMonth,
  formatPercent,
  formatPeriodLabel,
  formatShortMonth,
  NO_VALUE,
} from './kpi-value.formatter';
import { typographicApostrophes } from './typography';

const NNBSP = '\u202f'; // narrow no-break space: French thousands and before %
const NBSP = '\u00a0'; // no-break space: French currency sign, units
const FR = { locale: 'fr', currency: 'EUR' } as const;
const EN = { locale: 'en', currency: 'EUR' } as const;

describe('formatKpiValue', () => {
  it('formats French percentages from fractions with a narrow no-break space', () => {
    expect(formatKpiValue(0.125, 'PERCENT', FR)).toBe(`12,5${NNBSP}%`);
    expect(formatKpiValue(0.125, 'PERCENT', EN)).toBe('12.5%');
  });

  it('formats French currency with grouped thousands and cents', () => {
    expect(formatKpiValue(1234.56, 'CURRENCY', FR)).toBe(`1${NNBSP}234,56${NBSP}€`);
    expect(formatKpiValue(1234.56, 'CURRENCY', EN)).toBe('€1,234.56');
  });

  it('writes a client’s own currency with its plain symbol, whatever the language', () => {
    expect(formatKpiValue(468153, 'CURRENCY', { locale: 'en', currency: 'USD' })).toBe('$468,153');
    expect(formatKpiValue(1234.56, 'CURRENCY', { locale: 'fr', currency: 'USD' })).toBe(`1${NNBSP}234,56${NBSP}$`);
    expect(formatKpiValue(99.5, 'CURRENCY', { locale: 'en', currency: 'GBP' })).toBe('£99.50');
  });

  it('drops cents on large amounts where they are noise', () => {
    expect(formatKpiValue(412863.4, 'CURRENCY', FR)).toBe(`412${NNBSP}863${NBSP}€`);
  });

  it('formats ratios, durations, counts and scores', () => {
    expect(formatKpiValue(3.2, 'RATIO', FR)).toBe('3,2×');
    expect(formatKpiValue(155, 'DURATION', FR)).toBe(`2${NBSP}min${NBSP}35${NBSP}s`);
    expect(formatKpiValue(3725, 'DURATION', EN)).toBe(`1${NBSP}h${NBSP}02${NBSP}min`);
    expect(formatKpiValue(45, 'DURATION', FR)).toBe(`45${NBSP}s`);
    expect(formatKpiValue(184320, 'COUNT', FR)).toBe(`184${NNBSP}320`);
    expect(formatKpiValue(-12, 'SCORE', FR)).toBe('\u221212');
  });

  it('prints a dash for a missing value, never 0', () => {
    expect(formatKpiValue(null, 'CURRENCY', FR)).toBe(NO_VALUE);
    expect(formatKpiValue(Number.NaN, 'COUNT', FR)).toBe('—');
  });
});

describe('formatKpiChange', () => {
  it('reads rate changes in percentage points', () => {
    expect(formatKpiChange({ kind: 'POINTS', absolute: 0.004, percent: 0.16, points: 0.4 }, 'fr')).toBe(`+0,4${NBSP}pt`);
    expect(formatKpiChange({ kind: 'POINTS', absolute: -0.017, percent: null, points: -1.7 }, 'en')).toBe(`\u22121.7${NBSP}pt`);
  });

  it('reads other changes in percent with a typographic minus', () => {
    expect(formatKpiChange({ kind: 'PERCENT', absolute: -3, percent: -0.031, points: null }, 'fr')).toBe(`\u22123,1${NNBSP}%`);
    expect(formatKpiChange({ kind: 'PERCENT', absolute: 12, percent: 0.193, points: null }, 'en')).toBe('+19.3%');
  });

  it('gives no sign to a change that rounds to zero and a dash to no change', () => {
    expect(formatKpiChange({ kind: 'PERCENT', absolute: 0, percent: 0, points: null }, 'fr')).toBe(`0,0${NNBSP}%`);
    expect(formatKpiChange(null, 'fr')).toBe('—');
    expect(formatKpiChange({ kind: 'PERCENT', absolute: 5, percent: null, points: null }, 'fr')).toBe('—');
  });
});

describe('dates and periods', () => {
  it('names months in the client language', () => {
    expect(formatMonth('2026-10-01', 'fr')).toBe('octobre 2026');
    expect(formatMonth('2026-10', 'en')).toBe('October 2026');
    expect(formatShortMonth('2026-02', 'fr')).toBe('févr. 26');
  });

  it('labels monthly and weekly periods, or uses the given label', () => {
    expect(formatPeriodLabel({ kind: 'MONTHLY', start: '2026-10-01', end: '2026-10-31' }, 'fr')).toBe('octobre 2026');
    expect(formatPeriodLabel({ kind: 'WEEKLY', start: '2026-10-05', end: '2026-10-11' }, 'fr')).toBe('semaine du 5 octobre 2026 au 11 octobre 2026');
    expect(formatPeriodLabel({ kind: 'MONTHLY', start: '2026-10-01', end: '2026-10-31', label: 'Q4 kick-off' }, 'en')).toBe('Q4 kick-off');
  });

  it('shows an instant in the client time zone', () => {
    // 23:30 UTC on 31 October is already 1 November in Paris.
    expect(formatInstantDate('2026-10-31T23:30:00Z', 'fr', 'Europe/Paris')).toBe('1 novembre 2026');
    expect(formatInstantDate('2026-10-31T23:30:00Z', 'en', 'America/New_York')).toBe('31 October 2026');
  });
});

describe('formatting locale per client', () => {
  const FR_FR = { locale: 'fr', currency: 'EUR', formattingLocale: 'fr-FR' } as const;
  const EN_GB = { locale: 'en', currency: 'GBP', formattingLocale: 'en-GB' } as const;
  const EN_US = { locale: 'en', currency: 'USD', formattingLocale: 'en-US' } as const;

  it('writes fr-FR with narrow no-break spaces in thousands and before %, a no-break space before €', () => {
    expect(formatKpiValue(1234.5, 'CURRENCY', FR_FR)).toBe(`1${NNBSP}234,50${NBSP}€`);
    expect(formatKpiValue(1234.5, 'SCORE', FR_FR)).toBe(`1${NNBSP}234,5`);
    expect(formatPercent(1, 'fr-FR')).toBe(`100${NNBSP}%`);
    expect(formatDay('2026-10-05', 'fr-FR')).toBe('5 octobre 2026');
  });

  it('writes en-GB with the day first and no space before %', () => {
    expect(formatKpiValue(468153, 'CURRENCY', EN_GB)).toBe('£468,153');
    expect(formatPercent(1, 'en-GB')).toBe('100%');
    expect(formatDay('2026-10-05', 'en-GB')).toBe('5 October 2026');
    expect(formatInstantDate('2026-11-02T08:30:00Z', 'en-GB', 'Europe/London')).toBe('2 November 2026');
  });

  it('writes en-US with dollars, the month first and no space before %', () => {
    expect(formatKpiValue(468153, 'CURRENCY', EN_US)).toBe('$468,153');
    expect(formatKpiValue(0.125, 'PERCENT', EN_US)).toBe('12.5%');
    expect(formatKpiChange({ kind: 'PERCENT', absolute: 1, percent: 0.62, points: null }, 'en-US')).toBe('+62.0%');
    expect(formatDay('2026-10-05', 'en-US')).toBe('October 5, 2026');
    expect(formatInstantDate('2026-11-02T08:30:00Z', 'en-US', 'America/New_York')).toBe('November 2, 2026');
    expect(formatPeriodLabel({ kind: 'WEEKLY', start: '2026-10-05', end: '2026-10-11' }, 'en-US')).toBe('week of October 5, 2026 to October 11, 2026');
  });

  it('falls back to the language’s reading when a stored snapshot has no formatting locale', () => {
    expect(formatKpiValue(468153, 'CURRENCY', { locale: 'en', currency: 'USD' })).toBe('$468,153');
    expect(formatInstantDate('2026-11-02T08:30:00Z', 'en', 'America/New_York')).toBe('2 November 2026');
  });
});

describe(formatAttainment.name, () => {
  it('never prints 100 % beside AT_RISK: 99.6 % gets one more decimal', () => {
    expect(formatAttainment(0.996, 'AT_RISK', 'fr-FR')).toBe(`99,6${NNBSP}%`);
    expect(formatAttainment(0.996, 'AT_RISK', 'en-US')).toBe('99.6%');
  });

  it('floors toward the bound when one more decimal still rounds to it', () => {
    expect(formatAttainment(0.9996, 'AT_RISK', 'en')).toBe('99.9%');
    expect(formatAttainment(0.8997, 'OFF_TRACK', 'en')).toBe('89.9%');
    expect(formatAttainment(0.897, 'OFF_TRACK', 'fr')).toBe(`89,7${NNBSP}%`);
  });

  it('keeps whole percents where rounding agrees with the status', () => {
    expect(formatAttainment(0.94, 'AT_RISK', 'en')).toBe('94%');
    expect(formatAttainment(1.003, 'ON_TRACK', 'en')).toBe('100%');
    expect(formatAttainment(null, 'NO_DATA', 'en')).toBe(NO_VALUE);
  });
});

describe(typographicApostrophes.name, () => {
  it('curls apostrophes between letters only', () => {
    expect(typographicApostrophes("l'objectif du client's 'quote'")).toBe("l’objectif du client’s 'quote'");
  });
});
