import { Readable } from 'node:stream';
import type { MetricGranularity } from '@pilotage/database';
import type { MetricUnit } from '@pilotage/kpi';
import { parseMetricCsvAll } from './metric-csv.parser';
import type { MetricCsvError } from './metric-csv.types';
import { metricDateRange, metricValueViolation, SOURCE_MAX_LENGTH } from './metric-value.rules';
import { checkMetricValues } from './metric-value.validator';

const TODAY = '2026-11-15';
/** One metric of each unit. */
const METRICS: readonly (readonly [MetricUnit, string])[] = [
  ['COUNT', 'orders'],
  ['CURRENCY', 'revenue'],
  ['DURATION', 'avg_session_duration'],
  ['PERCENT', 'bounce_rate'],
  ['SCORE', 'nps'],
];
const units = new Map<string, { unit: MetricUnit }>(METRICS.map(([unit, key]) => [key, { unit }]));

interface Candidate {
  readonly metricKey: string;
  readonly date: string;
  readonly value: string;
  readonly source?: string;
  readonly granularity?: MetricGranularity;
}

/** How recordMetricValues sees one value: null when accepted, else "field: message". */
function throughApi(candidate: Candidate): string | null {
  const { problems } = checkMetricValues([candidate], { units, today: TODAY });
  return problems.length === 0 ? null : problems.map((problem) => `${problem.field.replace('values.0.', '')}: ${problem.message}`).join('; ');
}

/** How a CSV file with this one value is read: null when accepted, else "column:CODE: message". */
async function throughCsv(candidate: Candidate): Promise<string | null> {
  const text = `date,metric,value,source\n${candidate.date},${candidate.metricKey},${candidate.value},${candidate.source ?? ''}\n`;
  const result = await parseMetricCsvAll(Readable.from([text]), {
    decimal: 'POINT',
    context: { knownMetrics: units, today: TODAY, defaultSource: 'manual', granularity: candidate.granularity },
  });
  const errors: readonly MetricCsvError[] = result.errors;
  if (errors.length === 0 && result.rows.length === 1) return null;
  return errors.map((error) => `${error.column}:${error.code}: ${error.message}`).join('; ');
}

const SIXTEEN_DIGITS = '9'.repeat(16);
const SEVENTEEN_DIGITS = '9'.repeat(17);

describe(metricValueViolation.name, () => {
  describe.each(METRICS)('for a %s metric (%s)', (unit, metricKey) => {
    const value = (text: string): Candidate => ({ metricKey, date: '2026-10-01', value: text });
    const scale = unit === 'COUNT' ? 0 : 4;
    const atScale = scale === 0 ? '1' : `1.${'9'.repeat(scale)}`;
    const pastScale = `1.${'9'.repeat(scale + 1)}`;
    const pastScaleProblem = unit === 'COUNT' ? 'COUNT_NOT_INTEGER' : 'TOO_MANY_DECIMALS';

    it(`accepts ${scale} decimals and refuses ${scale + 1}, in a file and over the API`, async () => {
      expect(metricValueViolation(atScale, unit)).toBeNull();
      expect(metricValueViolation(pastScale, unit)).toBe(pastScaleProblem);
      expect(throughApi(value(atScale))).toBeNull();
      expect(await throughCsv(value(atScale))).toBeNull();
      if (unit === 'COUNT') {
        expect(throughApi(value(pastScale))).toBe('value: must be a whole number for a count metric');
        expect(await throughCsv(value(pastScale))).toBe(`value:COUNT_NOT_INTEGER: Metric "${metricKey}" counts whole units; "${pastScale}" has decimals`);
      } else {
        expect(throughApi(value(pastScale))).toBe('value: must have at most 4 decimals');
        expect(await throughCsv(value(pastScale))).toBe(`value:INVALID_NUMBER: Metric "${metricKey}": value must have at most 4 decimals`);
      }
    });

    it('accepts 16 digits before the decimal mark and refuses 17, in a file and over the API', async () => {
      expect(metricValueViolation(SIXTEEN_DIGITS, unit)).toBeNull();
      expect(metricValueViolation(SEVENTEEN_DIGITS, unit)).toBe('TOO_MANY_INTEGER_DIGITS');
      expect(throughApi(value(SIXTEEN_DIGITS))).toBeNull();
      expect(await throughCsv(value(SIXTEEN_DIGITS))).toBeNull();
      expect(throughApi(value(SEVENTEEN_DIGITS))).toBe('value: must have at most 16 digits before the decimal mark');
      expect(await throughCsv(value(SEVENTEEN_DIGITS))).toBe(
        `value:INVALID_NUMBER: Metric "${metricKey}": value must have at most 16 digits before the decimal mark`,
      );
    });

    const signed = unit === 'PERCENT' || unit === 'SCORE';
    it(signed ? 'accepts zero and negative values' : 'accepts zero and refuses the smallest negative value', async () => {
      const smallestNegative = unit === 'COUNT' ? '-1' : '-0.0001';
      expect(metricValueViolation('0', unit)).toBeNull();
      expect(throughApi(value('0'))).toBeNull();
      expect(await throughCsv(value('0'))).toBeNull();
      if (signed) {
        expect(metricValueViolation(`-${SIXTEEN_DIGITS}`, unit)).toBeNull();
        expect(throughApi(value(smallestNegative))).toBeNull();
        expect(await throughCsv(value(smallestNegative))).toBeNull();
      } else {
        expect(metricValueViolation(smallestNegative, unit)).toBe('NEGATIVE_VALUE');
        expect(throughApi(value(smallestNegative))).toBe(`value: must not be negative for a ${unit.toLowerCase()} metric`);
        expect(await throughCsv(value(smallestNegative))).toBe(
          `value:NEGATIVE_VALUE: Metric "${metricKey}" (${unit}) cannot be negative: "${smallestNegative}"`,
        );
      }
    });
  });

  it('checks the sign before the scale: a negative fraction of a count is a negative value', () => {
    expect(metricValueViolation('-1.5', 'COUNT')).toBe('NEGATIVE_VALUE');
  });
});

describe(metricDateRange.name, () => {
  it('runs from 2000-01-01 to the same day a year after today, Feb 29 rolling over to Mar 1', () => {
    expect(metricDateRange(TODAY)).toMatchObject({ earliest: '2000-01-01', latest: '2027-11-15' });
    expect(metricDateRange('2028-02-29').latest).toBe('2029-03-01');
    const range = metricDateRange(TODAY);
    expect(range.latestDay - range.earliestDay).toBe(Date.UTC(2027, 10, 15) / 86_400_000 - Date.UTC(2000, 0, 1) / 86_400_000);
  });

  it.each([
    ['2000-01-01', null, null],
    [
      '1999-12-31',
      'date: must be between 2000-01-01 and 2027-11-15',
      'date:DATE_OUT_OF_RANGE: 1999-12-31 is outside the accepted range 2000-01-01 to 2027-11-15',
    ],
    ['2027-11-15', null, null],
    [
      '2027-11-16',
      'date: must be between 2000-01-01 and 2027-11-15',
      'date:DATE_OUT_OF_RANGE: 2027-11-16 is outside the accepted range 2000-01-01 to 2027-11-15',
    ],
  ])('reads %s the same way in a file and over the API', async (date, api, file) => {
    const candidate = { metricKey: 'orders', date, value: '1' };
    expect(throughApi(candidate)).toBe(api);
    expect(await throughCsv(candidate)).toBe(file);
  });
});

describe('source length', () => {
  it(`accepts ${SOURCE_MAX_LENGTH} characters and refuses ${SOURCE_MAX_LENGTH + 1}, in a file and over the API`, async () => {
    const atLimit = { metricKey: 'orders', date: '2026-10-01', value: '1', source: 's'.repeat(SOURCE_MAX_LENGTH) };
    const pastLimit = { ...atLimit, source: 's'.repeat(SOURCE_MAX_LENGTH + 1) };
    expect(throughApi(atLimit)).toBeNull();
    expect(await throughCsv(atLimit)).toBeNull();
    expect(throughApi(pastLimit)).toBe('source: must have at most 100 characters');
    expect(await throughCsv(pastLimit)).toBe('source:SOURCE_TOO_LONG: The source has 101 characters; at most 100');
  });
});

describe('granularity', () => {
  it.each([
    ['MONTH', '2026-10-01', null],
    ['MONTH', '2026-10-02', 'a MONTH value must be dated on the 1st (2026-10-01)'],
    ['WEEK', '2026-10-05', null],
    ['WEEK', '2026-10-04', 'a WEEK value must be dated on the Monday of its week (2026-09-28)'],
  ] as const)('reads a %s value dated %s the same way in a file and over the API', async (granularity, date, problem) => {
    const candidate = { metricKey: 'orders', date, value: '1', granularity };
    expect(throughApi(candidate)).toBe(problem === null ? null : `date: ${problem}`);
    expect(await throughCsv(candidate)).toBe(problem === null ? null : `date:INVALID_DATE: ${problem}`);
  });
});
