import { splitAnnualTarget, validateTargetValue } from './split-annual-target';

const sum = (values: number[]): number => Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;

describe(splitAnnualTarget.name, () => {
  it('splits a count evenly into integers that add up exactly to the annual goal', () => {
    const { targets, mode } = splitAnnualTarget({ annual: 1000, mode: 'EVEN', kind: 'FLOW', unit: 'COUNT' });
    expect(mode).toBe('EVEN');
    // 1000 / 12 = 83.33…: four months get 84, eight get 83 (4 × 84 + 8 × 83 = 1000).
    expect(targets).toEqual([84, 84, 84, 84, 83, 83, 83, 83, 83, 83, 83, 83]);
  });

  it('splits money to the cent without losing a cent', () => {
    const { targets } = splitAnnualTarget({ annual: 100_000.01, mode: 'EVEN', kind: 'FLOW', unit: 'CURRENCY' });
    expect(targets[0]).toBe(8333.34);
    expect(targets[11]).toBe(8333.33);
    expect(sum(targets)).toBe(100_000.01);
  });

  it('follows last year’s seasonality', () => {
    // Last year: December was twice a normal month (13 shares in total).
    const lastYear = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 20];
    const { targets, mode } = splitAnnualTarget({ annual: 13_000, mode: 'SEASONAL', kind: 'FLOW', unit: 'CURRENCY', lastYear });
    expect(mode).toBe('SEASONAL');
    expect(targets).toEqual([1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 2000]);
  });

  it('falls back to an even split, saying why, when last year is incomplete or empty', () => {
    const incomplete = splitAnnualTarget({ annual: 120, mode: 'SEASONAL', kind: 'FLOW', unit: 'COUNT', lastYear: [1, null, 3] });
    expect(incomplete).toEqual({ targets: Array(12).fill(10), mode: 'EVEN', fallbackReason: 'LAST_YEAR_INCOMPLETE' });
    const empty = splitAnnualTarget({ annual: 120, mode: 'SEASONAL', kind: 'FLOW', unit: 'COUNT', lastYear: Array(12).fill(0) });
    expect(empty.fallbackReason).toBe('LAST_YEAR_EMPTY');
  });

  it('repeats a rate instead of splitting it', () => {
    const { targets } = splitAnnualTarget({ annual: 0.03, mode: 'EVEN', kind: 'LEVEL', unit: 'PERCENT' });
    expect(targets).toEqual(Array(12).fill(0.03));
  });
});

describe(validateTargetValue.name, () => {
  it.each([
    [-1, 'COUNT', /must not be negative for a count KPI/],
    [-0.01, 'CURRENCY', /must not be negative/],
    [Number.NaN, 'RATIO', /finite/],
    [12, 'PERCENT', /fraction between 0 and 10/],
  ] as const)('refuses %p for a %s KPI', (value, unit, message) => {
    expect(validateTargetValue(value, unit)).toMatch(message);
  });

  it('accepts a negative score (NPS) and a 3 % rate', () => {
    expect(validateTargetValue(-20, 'SCORE')).toBeNull();
    expect(validateTargetValue(0.03, 'PERCENT')).toBeNull();
  });
});
