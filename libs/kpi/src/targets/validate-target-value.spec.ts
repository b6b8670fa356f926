import { validateTargetValue } from './validate-target-value';

describe(validateTargetValue.name, () => {
  it('accepts ordinary targets', () => {
    expect(validateTargetValue(1200, 'COUNT')).toBeNull();
    expect(validateTargetValue(0, 'CURRENCY')).toBeNull();
    expect(validateTargetValue(0.125, 'PERCENT')).toBeNull();
    expect(validateTargetValue(-10, 'SCORE')).toBeNull();
  });

  it('rejects values that are not finite numbers', () => {
    expect(validateTargetValue(Number.NaN, 'COUNT')).toBe('must be a finite number');
    expect(validateTargetValue(Number.POSITIVE_INFINITY, 'RATIO')).toBe('must be a finite number');
  });

  it.each(['COUNT', 'CURRENCY', 'DURATION'] as const)('rejects a negative %s target', (unit) => {
    expect(validateTargetValue(-1, unit)).toBe(`must not be negative for a ${unit.toLowerCase()} KPI`);
  });

  it('rejects a percentage outside 0..10 (a fraction, not a number of percent)', () => {
    expect(validateTargetValue(12.5, 'PERCENT')).toContain('fraction');
    expect(validateTargetValue(-0.01, 'PERCENT')).toContain('fraction');
    expect(validateTargetValue(10, 'PERCENT')).toBeNull();
  });
});
