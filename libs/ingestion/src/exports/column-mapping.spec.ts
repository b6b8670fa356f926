import { checkColumnMapping, columnMappingFromStored, MAPPING_MAX_METRICS, type ColumnMapping } from './column-mapping';

const valid: ColumnMapping = {
  name: 'Microsoft Ads daily',
  dateColumn: 'Gregorian date',
  dateFormat: 'MDY',
  campaignColumn: 'Campaign name',
  channel: 'OTHER',
  channelColumn: 'Network',
  channelValues: [{ value: 'Audience', channel: 'PAID_SOCIAL' }],
  source: 'Microsoft Ads 1234',
  metrics: [
    { column: 'Spend', metricKey: 'ad_spend' },
    { column: 'Clicks', metricKey: 'ad_clicks' },
  ],
};
const isMetric = (key: string): boolean => ['ad_spend', 'ad_clicks'].includes(key);

describe(checkColumnMapping.name, () => {
  it('accepts a complete mapping', () => {
    expect(checkColumnMapping(valid, isMetric)).toEqual([]);
  });

  it('names every problem by field: unknown metric, blank and repeated columns, a metric read from the date column', () => {
    const problems = checkColumnMapping(
      {
        ...valid,
        name: ' ',
        metrics: [
          { column: 'Spend', metricKey: 'unicorns' },
          { column: ' spend', metricKey: 'ad_clicks' },
          { column: '', metricKey: 'ad_clicks' },
          { column: 'Gregorian Date', metricKey: 'ad_clicks' },
        ],
      },
      isMetric,
    );

    expect(problems).toEqual([
      { field: 'name', message: 'must not be empty' },
      { field: 'metrics[0].metricKey', message: '"unicorns" is not a metric of this agency\'s catalog' },
      { field: 'metrics[1].column', message: 'is already mapped in metrics[0]' },
      { field: 'metrics[2].column', message: 'must not be empty' },
      { field: 'metrics[3].column', message: 'is the date, campaign or channel column' },
    ]);
  });

  it('bounds the number of metric columns and refuses channel pairs without a channel column', () => {
    const many = Array.from({ length: MAPPING_MAX_METRICS + 1 }, (_, index) => ({ column: `c${index}`, metricKey: 'ad_spend' }));
    const problems = checkColumnMapping({ ...valid, channelColumn: null, metrics: many }, isMetric);

    expect(problems.map((problem) => problem.field)).toEqual(['channelValues', 'metrics']);
  });
});

describe(columnMappingFromStored.name, () => {
  it('reads a stored definition back, and refuses one whose channel is no longer in the list', () => {
    const { name, ...stored } = valid;
    expect(columnMappingFromStored(name, stored)).toEqual(valid);
    expect(columnMappingFromStored(name, { ...stored, channel: 'TELEVISION' })).toBeNull();
  });
});
