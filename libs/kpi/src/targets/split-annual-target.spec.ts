import fc from 'fast-check';
import { splitAnnualTarget, type AnnualTargetSplitInput } from './split-annual-target';

const flow: AnnualTargetSplitInput = { annual: 1000, months: 12, mode: 'EVEN', kind: 'FLOW', unit: 'COUNT' };
const cents = (values: readonly number[]): number => values.reduce((sum, value) => sum + Math.round(value * 100), 0);

describe(splitAnnualTarget.name, () => {
  it('splits a count evenly in whole units that add up to the annual target', () => {
    const { targets, mode, fallbackReason } = splitAnnualTarget(flow);
    expect(targets).toEqual([84, 84, 84, 84, 83, 83, 83, 83, 83, 83, 83, 83]);
    expect(targets.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(mode).toBe('EVEN');
    expect(fallbackReason).toBeNull();
  });

  it('splits money to the cent, the cents adding up exactly', () => {
    const { targets } = splitAnnualTarget({ ...flow, unit: 'CURRENCY', annual: 100_000 });
    expect(targets[0]).toBe(8333.34);
    expect(targets[11]).toBe(8333.33);
    expect(cents(targets)).toBe(10_000_000);
  });

  it('accepts money with cents despite binary noise (1234.56 × 100)', () => {
    const { targets } = splitAnnualTarget({ ...flow, unit: 'CURRENCY', annual: 1234.56, months: 3 });
    expect(targets).toEqual([411.52, 411.52, 411.52]);
  });

  it('follows last year’s monthly shares in SEASONAL mode', () => {
    const lastYear = [100, 100, 100, 100, 100, 100, 50, 50, 100, 100, 100, 200];
    const { targets, mode } = splitAnnualTarget({ ...flow, annual: 2400, mode: 'SEASONAL', lastYear });
    expect(mode).toBe('SEASONAL');
    expect(targets).toEqual([200, 200, 200, 200, 200, 200, 100, 100, 200, 200, 200, 400]);
  });

  it('gives leftover units of a seasonal split to the largest remainders', () => {
    // Shares 1/3 each of 100: 33.33 each, one unit left, to the first month on a tie.
    expect(splitAnnualTarget({ ...flow, annual: 100, months: 3, mode: 'SEASONAL', lastYear: [5, 5, 5] }).targets).toEqual([34, 33, 33]);
    // Shares 0.2 / 0.35 / 0.45 of 10: 2 / 3.5 / 4.5 -> the tie between .5 goes to the earlier month.
    expect(splitAnnualTarget({ ...flow, annual: 10, months: 3, mode: 'SEASONAL', lastYear: [20, 35, 45] }).targets).toEqual([2, 4, 4]);
  });

  it.each([
    ['missing', undefined, 'LAST_YEAR_INCOMPLETE'],
    ['too short', [100, 200], 'LAST_YEAR_INCOMPLETE'],
    ['with a month without value', [100, 100, null, 100, 100, 100, 100, 100, 100, 100, 100, 100], 'LAST_YEAR_INCOMPLETE'],
    ['negative', [100, 100, -1, 100, 100, 100, 100, 100, 100, 100, 100, 100], 'LAST_YEAR_NEGATIVE'],
    ['all zero', Array.from({ length: 12 }, () => 0), 'LAST_YEAR_EMPTY'],
  ] as const)('falls back to EVEN when last year is %s', (_label, lastYear, reason) => {
    const result = splitAnnualTarget({ ...flow, mode: 'SEASONAL', lastYear });
    expect(result).toEqual({ targets: splitAnnualTarget(flow).targets, mode: 'EVEN', fallbackReason: reason });
  });

  it('splits over 12 months when months is omitted', () => {
    const { months: _months, ...withoutMonths } = flow;
    expect(splitAnnualTarget({ ...withoutMonths, unit: 'CURRENCY', annual: 120_000.06 }).targets).toEqual([
      10_000.01, 10_000.01, 10_000.01, 10_000.01, 10_000.01, 10_000.01, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000,
    ]);
  });

  it('repeats a level target each month instead of splitting it', () => {
    expect(splitAnnualTarget({ ...flow, kind: 'LEVEL', unit: 'PERCENT', annual: 0.025, months: 3 })).toEqual({
      targets: [0.025, 0.025, 0.025],
      mode: 'EVEN',
      fallbackReason: null,
    });
  });

  it('says so when SEASONAL is asked for a level', () => {
    expect(splitAnnualTarget({ ...flow, kind: 'LEVEL', annual: 5000, months: 2, mode: 'SEASONAL', lastYear: [1, 9] })).toEqual({
      targets: [5000, 5000],
      mode: 'EVEN',
      fallbackReason: 'LEVEL_NOT_SPLIT',
    });
  });

  it('rounds the annual target to the unit precision before splitting', () => {
    expect(splitAnnualTarget({ ...flow, annual: 1000.4, months: 4 }).targets).toEqual([250, 250, 250, 250]);
    expect(splitAnnualTarget({ ...flow, unit: 'DURATION', annual: 1, months: 3 }).targets).toEqual([0.3334, 0.3333, 0.3333]);
  });

  it('refuses a negative or non-finite annual target and a bad month count', () => {
    expect(() => splitAnnualTarget({ ...flow, annual: -12 })).toThrow(/must not be negative/);
    expect(() => splitAnnualTarget({ ...flow, annual: Number.NaN })).toThrow(RangeError);
    expect(() => splitAnnualTarget({ ...flow, months: 0 })).toThrow(RangeError);
    expect(() => splitAnnualTarget({ ...flow, months: 12.5 })).toThrow(RangeError);
  });

  it('always adds up exactly to the annual target, in whole units, whatever the seasonality', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { minLength: 12, maxLength: 12 }),
        (annualCents, lastYear) => {
          const annual = annualCents / 100;
          const { targets, fallbackReason } = splitAnnualTarget({
            annual,
            months: 12,
            mode: 'SEASONAL',
            kind: 'FLOW',
            unit: 'CURRENCY',
            lastYear,
          });
          expect(targets).toHaveLength(12);
          expect(cents(targets)).toBe(annualCents);
          for (const target of targets) {
            expect(target).toBeGreaterThanOrEqual(0);
            expect(Math.round(target * 100) / 100).toBe(target);
          }
          expect(fallbackReason === null || fallbackReason === 'LAST_YEAR_EMPTY').toBe(true);
        },
      ),
    );
  });
});
