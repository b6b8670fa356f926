import { ProviderError } from '../provider-error';
import type { PulledValue } from '../provider.types';
import { pulledValueColumns } from './pulled-values';

describe(pulledValueColumns.name, () => {
  const target = { platform: 'Google Ads', source: 'Google Ads 1234567890', range: { from: '2026-11-01', to: '2026-11-30' } };
  const value = (overrides: Partial<PulledValue> = {}): PulledValue => ({
    metricKey: 'ad_clicks',
    date: '2026-11-02',
    channel: 'PAID_SEARCH',
    campaign: 'Brand',
    valueText: '12',
    ...overrides,
  });

  function refusal(values: PulledValue[]): ProviderError {
    try {
      pulledValueColumns(values, target);
    } catch (error) {
      if (error instanceof ProviderError) return error;
      throw error;
    }
    throw new Error('expected the pull to be refused');
  }

  it('writes the provider’s channel and campaign under the connection’s source, by day', () => {
    const columns = pulledValueColumns([value(), value({ metricKey: 'ad_spend', valueText: '3.5', campaign: '' })], target);
    expect(columns).toEqual({
      metricKeys: ['ad_clicks', 'ad_spend'],
      dates: ['2026-11-02', '2026-11-02'],
      sources: ['Google Ads 1234567890', 'Google Ads 1234567890'],
      channels: ['PAID_SEARCH', 'PAID_SEARCH'],
      campaigns: ['Brand', ''],
      granularities: ['DAY', 'DAY'],
      values: ['12', '3.5'],
    });
  });

  it('refuses a value storage cannot hold, naming the metric, date and campaign', () => {
    const error = refusal([value(), value({ date: '2026-11-03', valueText: '1.5' })]);
    expect(error.kind).toBe('INVALID_RESPONSE');
    expect(error.message).toBe(
      'Google Ads: the value of ad_clicks on 2026-11-03 (campaign "Brand") (1.5) cannot be stored: it must be a whole number for a count metric',
    );
    expect(refusal([value({ metricKey: 'ad_spend', valueText: '-2', campaign: '' })]).message).toBe(
      'Google Ads: the value of ad_spend on 2026-11-02 (-2) cannot be stored: it must not be negative for a currency metric',
    );
    expect(refusal([value({ metricKey: 'ad_spend', valueText: '0.12345' })]).message).toContain('must have at most 4 decimals');
  });

  it('refuses a key the platform reported twice', () => {
    const error = refusal([value(), value({ valueText: '13' })]);
    expect(error.kind).toBe('INVALID_RESPONSE');
    expect(error.message).toBe('Google Ads: the value of ad_clicks on 2026-11-02 (campaign "Brand") was reported twice for channel PAID_SEARCH');
    expect(pulledValueColumns([value(), value({ channel: 'PAID_SOCIAL' })], target).metricKeys).toHaveLength(2);
  });

  it('refuses a day outside the range pulled, an unknown metric and text that is not a decimal', () => {
    expect(refusal([value({ date: '2026-12-01' })]).message).toContain('is outside the days asked for (2026-11-01 to 2026-11-30)');
    expect(refusal([value({ metricKey: 'ctr' })]).message).toContain('is of a metric Pilotage does not know');
    expect(refusal([value({ valueText: '1e3' })]).message).toContain('is not a decimal number ("1e3")');
    expect(refusal([value({ campaign: 'x'.repeat(201) })]).message).toContain('must have at most 200 characters');
    expect(refusal([value({ channel: 'DISPLAY' as PulledValue['channel'] })]).message).toContain('has an unknown channel (DISPLAY)');
  });
});
