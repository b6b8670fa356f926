import { Readable } from 'node:stream';
import type { MetricUnit } from '@pilotage/kpi';
import { IngestionError } from './ingestion.error';
import { MAX_SERIES_PER_FILE } from './metric-csv-row.validator';
import { parseMetricCsv, parseMetricCsvAll } from './metric-csv.parser';
import type { MetricCsvError, MetricCsvOptions, MetricCsvResult } from './metric-csv.types';

const knownMetrics = new Map<string, { unit: MetricUnit }>([
  ['sessions', { unit: 'COUNT' }],
  ['orders', { unit: 'COUNT' }],
  ['revenue', { unit: 'CURRENCY' }],
  ['avg_session_duration', { unit: 'DURATION' }],
  ['nps', { unit: 'SCORE' }],
]);
const context = { knownMetrics, today: '2026-11-15', defaultSource: 'import' };

/** Feeds the text in small chunks so that records and the header straddle chunk boundaries. */
function csv(text: string, chunkSize = 7): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  return Readable.from(chunks);
}

function parseText(text: string, options: MetricCsvOptions = {}): Promise<MetricCsvResult> {
  return parseMetricCsvAll(csv(text), { ...options, context });
}

function located(errors: readonly MetricCsvError[]): string[] {
  return errors.map((error) => `${error.line}:${error.columnIndex}:${error.column}:${error.code}`);
}

describe(parseMetricCsv.name, () => {
  it('parses a French CSV: semicolons, decimal comma, dd/mm/yyyy, BOM, CRLF, NBSP thousands', async () => {
    const text =
      '\ufeffJour;Métrique;Valeur;Source\r\n' +
      '01/10/2026;sessions;1\u00a0234;google\r\n' +
      '01/10/2026;revenue;12\u202f345,67;google\r\n' +
      '02.10.2026;revenue;1.234,5;\r\n' +
      '02/10/2026;nps;-12,5;meta\r\n';
    const result = await parseText(text);

    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual([
      { line: 2, date: '2026-10-01', metricKey: 'sessions', valueText: '1234', value: 1234, source: 'google', channel: 'OTHER', campaign: '' },
      { line: 3, date: '2026-10-01', metricKey: 'revenue', valueText: '12345.67', value: 12345.67, source: 'google', channel: 'OTHER', campaign: '' },
      { line: 4, date: '2026-10-02', metricKey: 'revenue', valueText: '1234.5', value: 1234.5, source: 'import', channel: 'OTHER', campaign: '' },
      // Without a channel column, a source named after an ad platform takes its default channel.
      { line: 5, date: '2026-10-02', metricKey: 'nps', valueText: '-12.5', value: -12.5, source: 'meta', channel: 'PAID_SOCIAL', campaign: '' },
    ]);
    expect(result.summary.conventions).toEqual({
      encoding: 'UTF-8',
      delimiter: ';',
      decimal: 'COMMA',
      dateFormat: 'DMY',
      format: 'LONG',
    });
    expect(result.summary).toMatchObject({ rowCount: 4, errorCount: 0, lineCount: 5, columns: ['Jour', 'Métrique', 'Valeur', 'Source'] });
  });

  it('parses an English CSV with decimal points, comma thousands inside quotes and ISO dates', async () => {
    const text = 'date,metric,value\n2026-10-01,revenue,"1,234.56"\n2026-10-01,orders,"12,345"\n2026-10-02,revenue,0.5\n';
    const result = await parseText(text);

    expect(result.errors).toEqual([]);
    expect(result.rows.map((row) => [row.line, row.date, row.metricKey, row.valueText, row.source])).toEqual([
      [2, '2026-10-01', 'revenue', '1234.56', 'import'],
      [3, '2026-10-01', 'orders', '12345', 'import'],
      [4, '2026-10-02', 'revenue', '0.5', 'import'],
    ]);
    expect(result.summary.conventions).toMatchObject({ delimiter: ',', decimal: 'POINT', dateFormat: 'ISO', format: 'LONG' });
  });

  it('keeps money exact to the cent where binary floating point would not', async () => {
    const result = await parseText('date;metric;value\n2026-10-01;revenue;90 071 992 547 409,93\n');

    expect(result.errors).toEqual([]);
    expect(result.rows[0]?.valueText).toBe('90071992547409.93');
  });

  it('reads the WIDE layout and treats an empty cell as no value, not zero', async () => {
    const text = 'Date;sessions;revenue;orders\n01/10/2026;120;1 500,25;\n02/10/2026;;0;3\n';
    const result = await parseText(text);

    expect(result.errors).toEqual([]);
    expect(result.rows.map((row) => [row.line, row.date, row.metricKey, row.valueText])).toEqual([
      [2, '2026-10-01', 'sessions', '120'],
      [2, '2026-10-01', 'revenue', '1500.25'],
      [3, '2026-10-02', 'revenue', '0'],
      [3, '2026-10-02', 'orders', '3'],
    ]);
    expect(result.summary.conventions.format).toBe('WIDE');
  });

  it('reports each bad line with its line and column', async () => {
    const text = [
      'date;metric;value;source',
      '2026-10-01;sessions;100;google', // 2: valid
      '2026-10-01;pageviews;100;google', // 3: unknown metric
      '31/02/2026;sessions;100;google', // 4: bad date
      '2026-10-02;sessions;-5;google', // 5: negative count
      '2026-10-03;sessions;12,5;google', // 6: decimal in a count
      '2026-10-04;revenue;12abc;google', // 7: unparsable number
      '2026-10-01;sessions;100;google', // 8: duplicate of line 2
      '2031-01-01;sessions;1;google', // 9: after today + 1 year
    ].join('\n');
    const result = await parseText(text);

    expect(located(result.errors)).toEqual([
      '3:2:metric:UNKNOWN_METRIC',
      '4:1:date:INVALID_DATE',
      '5:3:value:NEGATIVE_VALUE',
      '6:3:value:COUNT_NOT_INTEGER',
      '7:3:value:INVALID_NUMBER',
      '8:1:date:DUPLICATE_ROW',
      '9:1:date:DATE_OUT_OF_RANGE',
    ]);
    expect(result.errors.find((error) => error.code === 'DUPLICATE_ROW')?.message).toContain('Line 8 repeats line 2');
    expect(result.errors.find((error) => error.code === 'INVALID_DATE')?.message).toContain('day 31 does not exist');
    expect(result.rows.map((row) => row.line)).toEqual([2]);
    expect(result.summary.errorCount).toBe(7);
  });

  it('rejects a CSV row with a decimal comma in a count metric', async () => {
    const result = await parseText('date;metric;value\n2026-10-01;orders;3,5\n');

    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([expect.objectContaining({ line: 2, column: 'value', columnIndex: 3, code: 'COUNT_NOT_INTEGER' })]);
  });

  it('keeps physical line numbers when quoted fields contain line breaks', async () => {
    const text = 'date;metric;value;source\r\n2026-10-01;sessions;1;"multi\r\nline\r\nsource"\r\n2026-10-01;orders;oops;google\r\n';
    const result = await parseText(text);

    expect(result.rows.map((row) => [row.line, row.source])).toEqual([[2, 'multi\r\nline\r\nsource']]);
    expect(located(result.errors)).toEqual(['5:3:value:INVALID_NUMBER']);
    expect(result.summary.lineCount).toBe(5);
  });

  it('counts blank lines so that later line numbers stay physical', async () => {
    const result = await parseText('date;metric;value\n\n2026-10-01;orders;x\n;;\n2026-10-02;orders;-1\n');

    expect(located(result.errors)).toEqual(['3:3:value:INVALID_NUMBER', '5:3:value:NEGATIVE_VALUE']);
  });

  it('refuses an ambiguous decimal when nothing settles the convention', async () => {
    const result = await parseText('date,metric,value\n2026-10-01,revenue,"1,234"\n2026-10-02,revenue,"2,50"\n2026-10-03,revenue,"1,234"\n');

    expect(result.errors).toEqual([expect.objectContaining({ line: 2, columnIndex: 3, code: 'AMBIGUOUS_DECIMAL' })]);
    expect(result.errors[0]?.message).toContain('1234 with a decimal point, 1.234 with a decimal comma');
    // Line 3 proves a decimal comma; line 4 is then read with it.
    expect(result.rows.map((row) => [row.line, row.valueText])).toEqual([
      [3, '2.5'],
      [4, '1.234'],
    ]);
    expect(result.summary.conventions.decimal).toBe('COMMA');
  });

  it('reads an ambiguous value with the declared decimal mark', async () => {
    const result = await parseText('date,metric,value\n2026-10-01,revenue,"1,234"\n', { decimal: 'POINT' });

    expect(result.errors).toEqual([]);
    expect(result.rows[0]?.valueText).toBe('1234');
  });

  it('assumes a decimal comma in a semicolon file unless the values show otherwise', async () => {
    const french = await parseText('date;metric;value\n2026-10-01;revenue;1,234\n');
    const english = await parseText('date;metric;value\n2026-10-01;revenue;0.25\n2026-10-02;revenue;1,234\n');

    expect(french.rows[0]?.valueText).toBe('1.234');
    expect(english.rows.map((row) => row.valueText)).toEqual(['0.25', '1234']);
    expect(english.summary.conventions.decimal).toBe('POINT');
  });

  it('reports a value contradicting the convention settled earlier in the file', async () => {
    const result = await parseText('date;metric;value\n2026-10-01;revenue;12,5\n2026-10-02;revenue;12.5\n');

    expect(located(result.errors)).toEqual(['3:3:value:INVALID_NUMBER']);
    expect(result.errors[0]?.message).toContain('decimal comma, settled by "12,5" at line 2');
  });

  it('reads month-first dates only when declared', async () => {
    const undeclared = await parseText('date;metric;value\n10/13/2026;orders;1\n');
    const declared = await parseText('date;metric;value\n10/13/2026;orders;1\n', { dateFormat: 'MDY' });

    expect(located(undeclared.errors)).toEqual(['2:1:date:INVALID_DATE']);
    expect(undeclared.errors[0]?.message).toContain('declare the date format MDY');
    expect(declared.rows[0]?.date).toBe('2026-10-13');
  });

  it('detects a tab separator and reads Windows-1252 text', async () => {
    const header = Buffer.from('date\tmétrique\tvaleur\n', 'latin1');
    const row = Buffer.from('2026-10-01\trevenue\t1\u00a0234,5\n', 'latin1');
    const result = await parseMetricCsvAll(Readable.from([Buffer.concat([header, row])]), { context });

    expect(result.errors).toEqual([]);
    expect(result.rows[0]?.valueText).toBe('1234.5');
    expect(result.summary.columns).toEqual(['date', 'métrique', 'valeur']);
    expect(result.summary.conventions).toMatchObject({ encoding: 'WINDOWS-1252', delimiter: '\t' });
  });

  it('reports header problems on line 1 and reads nothing else', async () => {
    const missing = await parseText('date;metric;amount\n2026-10-01;orders;1\n', { format: 'LONG' });
    const unknownWide = await parseText('date;sessions;bounces\n2026-10-01;1;2\n');

    expect(located(missing.errors)).toEqual(['1:1:date:MISSING_COLUMN']);
    expect(missing.rows).toEqual([]);
    expect(located(unknownWide.errors)).toEqual(['1:3:bounces:UNKNOWN_METRIC']);
    expect(unknownWide.rows.map((row) => row.metricKey)).toEqual(['sessions']);
  });

  it('reports a cell beyond the header and an unclosed quote with their lines', async () => {
    const result = await parseText('date;metric;value\n2026-10-01;orders;1;extra\n2026-10-02;orders;2\n"2026-10-03;orders;3\n2026-10-04;orders;4\n');

    expect(located(result.errors)).toEqual(['2:4::UNEXPECTED_CELL', '4:1::CSV_SYNTAX']);
  });

  it('reports an empty file', async () => {
    const result = await parseText('\ufeff');

    expect(located(result.errors)).toEqual(['1:1::EMPTY_FILE']);
  });

  it('yields batches of the requested size and caps the errors it details', async () => {
    const lines = ['date;metric;value;source'];
    for (let day = 1; day <= 28; day++) {
      lines.push(`2026-02-${String(day).padStart(2, '0')};orders;${day};a`);
      lines.push(`2026-02-${String(day).padStart(2, '0')};orders;-1;b`);
    }
    const batches = [];
    for await (const batch of parseMetricCsv(csv(lines.join('\n'), 64), { context, batchSize: 10, maxErrors: 5 })) batches.push(batch);

    expect(batches.map((batch) => batch.rows.length)).toEqual([10, 10, 8]);
    expect(batches.flatMap((batch) => batch.errors)).toHaveLength(5);
    expect(batches.at(-1)?.summary).toMatchObject({ rowCount: 28, errorCount: 28, errorsTruncated: true });
  });

  it('lets a failure of the input stream through', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield 'date;metric;value\n2026-10-01;orders;1\n';
      throw new Error('disk unplugged');
    }

    await expect(parseMetricCsvAll(Readable.from(failing()), { context })).rejects.toThrow('disk unplugged');
  });

  it('stops reading when the caller stops early', async () => {
    const lines = ['date;metric;value;source'];
    for (let day = 1; day <= 28; day++) lines.push(`2026-02-${String(day).padStart(2, '0')};orders;${day};a`);
    const input = csv(lines.join('\n'), 16);
    for await (const batch of parseMetricCsv(input, { context, batchSize: 5 })) {
      expect(batch.rows).toHaveLength(5);
      break;
    }

    expect(input.destroyed).toBe(true);
  });

  it('reads channel and campaign columns, by key or by French or English name, without regard to case or accents', async () => {
    const text =
      'date;metric;value;source;canal;campagne\n' +
      '2026-10-01;sessions;10;GA4;Recherche payante;Brand\n' +
      '2026-10-01;sessions;20;GA4;paid_SOCIAL;\n' +
      '2026-10-01;sessions;30;GA4;ACCES DIRECT;\n' +
      '2026-10-01;sessions;40;GA4;e-mail;Newsletter octobre\n' +
      '2026-10-01;sessions;50;Google Ads;;Brand\n';
    const result = await parseText(text);

    expect(result.errors).toEqual([]);
    expect(result.rows.map((row) => [row.valueText, row.source, row.channel, row.campaign])).toEqual([
      ['10', 'GA4', 'PAID_SEARCH', 'Brand'],
      ['20', 'GA4', 'PAID_SOCIAL', ''],
      ['30', 'GA4', 'DIRECT', ''],
      ['40', 'GA4', 'EMAIL', 'Newsletter octobre'],
      // An empty channel cell falls back to the source's channel.
      ['50', 'Google Ads', 'PAID_SEARCH', 'Brand'],
    ]);
  });

  it('treats the same figure for two channels or two campaigns as two values, and the same key twice as a duplicate', async () => {
    const text =
      'date,metric,value,source,channel,campaign\n' +
      '2026-10-01,sessions,10,GA4,PAID_SEARCH,\n' +
      '2026-10-01,sessions,20,GA4,ORGANIC_SEARCH,\n' +
      '2026-10-01,sessions,30,GA4,ORGANIC_SEARCH,Spring\n' +
      '2026-10-01,sessions,40,GA4,Organic search,Spring\n';
    const result = await parseText(text);

    expect(result.rows.map((row) => row.valueText)).toEqual(['10', '20', '30']);
    expect(located(result.errors)).toEqual(['5:1:date:DUPLICATE_ROW']);
    expect(result.errors[0]?.message).toBe(
      'Line 5 repeats line 4: same date 2026-10-01, metric "sessions", source "GA4", channel ORGANIC_SEARCH and campaign "Spring"',
    );
  });

  it('names the line and column of an unknown channel and of a campaign too long or with a control character', async () => {
    const text =
      'date;metric;value;channel;campaign\n' +
      '2026-10-01;sessions;10;Search;\n' +
      `2026-10-01;orders;1;;${'x'.repeat(201)}\n` +
      '2026-10-02;orders;1;;Bad\u0007name\n';
    const result = await parseText(text);

    expect(result.rows).toEqual([]);
    expect(located(result.errors)).toEqual(['2:4:channel:UNKNOWN_CHANNEL', '3:5:campaign:CAMPAIGN_TOO_LONG', '4:5:campaign:INVALID_CAMPAIGN']);
    expect(result.errors[0]?.message).toContain('"Search" is not a channel; accepted: PAID_SEARCH (Paid search, Recherche payante)');
    expect(result.errors[1]?.message).toBe('The campaign must have at most 200 characters (it has 201)');
  });

  it('gives a file-wide channel and campaign to rows without their own, and asks the client mapping for the rest', async () => {
    const wide = 'date;source;sessions;channel\n2026-10-01;Brevo;10;\n2026-10-02;Brevo;12;Referral\n';
    const declared = await parseMetricCsvAll(csv(wide), { context: { ...context, channel: 'DIRECT', campaign: ' Rentrée ' } });
    expect(declared.errors).toEqual([]);
    expect(declared.rows.map((row) => [row.date, row.channel, row.campaign])).toEqual([
      ['2026-10-01', 'DIRECT', 'Rentrée'],
      ['2026-10-02', 'REFERRAL', 'Rentrée'],
    ]);

    const asked: string[] = [];
    const mapped = await parseMetricCsvAll(csv(wide), {
      context: {
        ...context,
        channelOfSource: (source) => {
          asked.push(source);
          return 'MARKETPLACE';
        },
      },
    });
    expect(mapped.rows.map((row) => row.channel)).toEqual(['MARKETPLACE', 'REFERRAL']);
    expect(asked).toEqual(['Brevo']);
  });

  it(`refuses more than ${MAX_SERIES_PER_FILE} distinct series in one file, naming the campaign column of the first row past it`, async () => {
    const lines = ['date,metric,value,campaign'];
    for (let index = 0; index <= MAX_SERIES_PER_FILE; index++) lines.push(`2026-10-01,sessions,1,c${index}`);
    const result = await parseMetricCsvAll(csv(`${lines.join('\n')}\n`, 1 << 16), { context, maxErrors: 10 });

    expect(result.rows).toHaveLength(MAX_SERIES_PER_FILE);
    expect(located(result.errors)).toEqual([`${MAX_SERIES_PER_FILE + 2}:4:campaign:TOO_MANY_SERIES`]);
  });

  it('throws a typed error for invalid options', async () => {
    const iterate = parseMetricCsv(csv('date;metric;value\n'), { context: { ...context, today: '15/11/2026' } });

    await expect(iterate.next()).rejects.toThrow(IngestionError);
  });
});
