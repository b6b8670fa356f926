import { compareValues } from './compare-values';

describe(compareValues.name, () => {
  it('expresses a PERCENT KPI change in percentage points', () => {
    // Conversion rate from 2.0 % to 2.5 %: +0.5 point, +25 % relative.
    expect(compareValues(0.025, 0.02, 'PERCENT')).toEqual({ absolute: 0.005, percent: 0.25, points: 0.5, kind: 'POINTS' });
  });

  it('expresses other KPIs in percent of the previous value', () => {
    expect(compareValues(1200, 1000, 'COUNT')).toEqual({ absolute: 200, percent: 0.2, points: null, kind: 'PERCENT' });
    expect(compareValues(80, 100, 'CURRENCY')).toEqual({ absolute: -20, percent: -0.2, points: null, kind: 'PERCENT' });
  });

  it('divides by the magnitude of a negative previous value so that an improvement stays positive', () => {
    // Revenue per customer from -20 to -10 (a refund-heavy month) is a +50 % improvement, not -50 %.
    expect(compareValues(-10, -20, 'CURRENCY')).toEqual({ absolute: 10, percent: 0.5, points: null, kind: 'PERCENT' });
  });

  it('expresses a SCORE KPI change (NPS, ratings) in points: the plain difference', () => {
    // NPS from 37.0 to 41.9: +4.9 points, not +13.1 %.
    expect(compareValues(41.9, 37, 'SCORE')).toMatchObject({ points: 4.9, kind: 'POINTS' });
    expect(compareValues(-10, -20, 'SCORE')).toMatchObject({ points: 10, kind: 'POINTS' });
    // A rating from 4.6 to 4.4 out of 5.
    expect(compareValues(4.4, 4.6, 'SCORE')).toMatchObject({ points: -0.2, kind: 'POINTS' });
  });

  it('has no percent change from zero', () => {
    expect(compareValues(5, 0, 'COUNT')).toEqual({ absolute: 5, percent: null, points: null, kind: 'PERCENT' });
    expect(compareValues(0.1, 0, 'PERCENT')).toEqual({ absolute: 0.1, percent: null, points: 10, kind: 'POINTS' });
  });

  it('is null when either side has no value', () => {
    expect(compareValues(null, 5, 'COUNT')).toBeNull();
    expect(compareValues(5, null, 'PERCENT')).toBeNull();
  });

  it('drops binary noise from the subtraction', () => {
    expect(compareValues(0.125, 0.1, 'PERCENT')?.points).toBe(2.5);
  });
});
