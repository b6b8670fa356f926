import { anomalyScoreThreshold, noDataDaysFor, type Sensitivity } from './alert-sensitivity';

describe('alert sensitivity', () => {
  it('uses Iglewicz and Hoaglin’s 3.5 at NORMAL, a wider band at LOW and a narrower at HIGH', () => {
    expect(anomalyScoreThreshold('LOW')).toBe(5);
    expect(anomalyScoreThreshold('NORMAL')).toBe(3.5);
    expect(anomalyScoreThreshold('HIGH')).toBe(2.5);
  });

  it('doubles the no-data delay at LOW and halves it, rounded down, at HIGH', () => {
    expect(noDataDaysFor(3, 'LOW')).toBe(6);
    expect(noDataDaysFor(3, 'NORMAL')).toBe(3);
    expect(noDataDaysFor(3, 'HIGH')).toBe(1);
    expect(noDataDaysFor(4, 'HIGH')).toBe(2);
  });

  it('never waits less than one day', () => {
    expect(noDataDaysFor(1, 'HIGH')).toBe(1);
  });

  it('rejects a delay that is not a whole number of days and an unknown sensitivity', () => {
    expect(() => noDataDaysFor(0, 'NORMAL')).toThrow('at least 1, got 0');
    expect(() => noDataDaysFor(2.5, 'NORMAL')).toThrow('got 2.5');
    expect(() => anomalyScoreThreshold('EXTREME' as Sensitivity)).toThrow("Unknown alert sensitivity 'EXTREME'");
  });
});
