import { restatementChanges, type KpiFigure } from './restatement-changes';

const thresholds = { volumeRatio: 0.02, ratePoints: 0.5 };
const figure = (key: string, unit: KpiFigure['unit'], value: number | null, status: KpiFigure['status'] = 'ON_TRACK'): KpiFigure => ({
  key,
  unit,
  value,
  status,
});

describe(restatementChanges.name, () => {
  it('records a volume changed by more than the relative threshold, not one within it', () => {
    const frozen = [figure('orders', 'COUNT', 1000), figure('revenue', 'CURRENCY', 50_000)];
    const current = [figure('orders', 'COUNT', 1021), figure('revenue', 'CURRENCY', 50_900)];
    expect(restatementChanges(frozen, current, thresholds)).toEqual([
      { kpiKey: 'orders', oldValue: 1000, newValue: 1021, oldStatus: 'ON_TRACK', newStatus: 'ON_TRACK' },
    ]);
  });

  it('measures rates in points: a PERCENT fraction × 100, a SCORE as it is', () => {
    const frozen = [figure('conversion_rate', 'PERCENT', 0.02), figure('ctr', 'PERCENT', 0.02), figure('nps', 'SCORE', 40)];
    const current = [figure('conversion_rate', 'PERCENT', 0.026), figure('ctr', 'PERCENT', 0.024), figure('nps', 'SCORE', 40.4)];
    expect(restatementChanges(frozen, current, thresholds).map((change) => change.kpiKey)).toEqual(['conversion_rate']);
  });

  it('records any status flip, even within the value threshold', () => {
    const changes = restatementChanges([figure('orders', 'COUNT', 1000, 'ON_TRACK')], [figure('orders', 'COUNT', 1001, 'AT_RISK')], thresholds);
    expect(changes).toEqual([{ kpiKey: 'orders', oldValue: 1000, newValue: 1001, oldStatus: 'ON_TRACK', newStatus: 'AT_RISK' }]);
  });

  it('records a value that appeared or vanished, and nothing when nothing changed', () => {
    expect(restatementChanges([figure('orders', 'COUNT', null, 'NO_DATA')], [figure('orders', 'COUNT', 12, 'NO_DATA')], thresholds)).toHaveLength(1);
    expect(restatementChanges([figure('orders', 'COUNT', 0)], [figure('orders', 'COUNT', 3)], thresholds)).toHaveLength(1);
    expect(restatementChanges([figure('orders', 'COUNT', 1000)], [figure('orders', 'COUNT', 1000)], thresholds)).toEqual([]);
  });

  it('skips KPIs that left the plan since the report was made', () => {
    expect(restatementChanges([figure('orders', 'COUNT', 1000)], [], thresholds)).toEqual([]);
  });
});
