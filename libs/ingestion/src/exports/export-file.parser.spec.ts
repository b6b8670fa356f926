import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { METRIC_CATALOG, type MetricUnit } from '@pilotage/kpi';
import { mappingPreset, type ColumnMapping } from './column-mapping';
import { parseExportFile } from './export-file.parser';
import type { ExportMetricRow, ExportParseResult, ExportPresetId } from './export-preset.types';
import { EXPORT_PRESETS, findExportPreset } from './export-presets';

const FIXTURES = join(__dirname, '../../../../test/fixtures/exports');
const knownMetrics: ReadonlyMap<string, { unit: MetricUnit }> = new Map(METRIC_CATALOG.map((metric) => [metric.key, { unit: metric.unit }]));
const base = { knownMetrics, today: '2026-11-15', timeZone: 'Europe/Paris' };

function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

function parse(bytes: Buffer | string, presetId?: ExportPresetId): Promise<ExportParseResult> {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const forced = presetId === undefined ? undefined : findExportPreset(presetId);
  return parseExportFile(buffer, { ...base, presets: forced === undefined ? EXPORT_PRESETS : [forced], forced: forced !== undefined });
}

/** Σ of a metric over rows matching `where`, as exact text (the rows are already exact decimals). */
function sum(
  rows: readonly ExportMetricRow[],
  metricKey: string,
  where: Partial<Pick<ExportMetricRow, 'channel' | 'date' | 'campaign' | 'source'>> = {},
): number {
  const cents = rows
    .filter((row) => row.metricKey === metricKey && Object.entries(where).every(([key, value]) => row[key as keyof typeof where] === value))
    .reduce((total, row) => total + Math.round(row.value * 10_000), 0);
  return cents / 10_000;
}

function rowsOf(result: ExportParseResult, metricKey: string): string[] {
  return result.rows.filter((row) => row.metricKey === metricKey).map((row) => `${row.date}|${row.channel}|${row.campaign}|${row.source}|${row.valueText}`);
}

describe(parseExportFile.name, () => {
  describe('Google Ads campaign report', () => {
    it.each([
      ['google-ads-en.csv', 'en'],
      ['google-ads-fr.csv', 'fr'],
    ])('reads %s: title and date-range preamble, totals footer skipped, spend by channel and in total', async (file, language) => {
      const result = await parse(fixture(file));

      expect(result.errors).toEqual([]);
      expect(result.report.preset).toEqual({ id: 'GOOGLE_ADS', name: 'Google Ads campaign report' });
      expect(result.report.language).toBe(language);
      expect(result.report.headerLine).toBe(3);
      expect(result.report.rowsSkipped).toEqual([{ reason: 'totals row (Google Ads writes them below the data)', count: 3, lines: [10, 11, 12] }]);
      // Hand-computed: search = 1234.56 + 310.20 + 1100.44 + 198.80 + 100.00; display (OTHER) = 45.10.
      expect(sum(result.rows, 'ad_spend', { channel: 'PAID_SEARCH' })).toBe(2944);
      expect(sum(result.rows, 'ad_spend', { channel: 'OTHER' })).toBe(45.1);
      expect(sum(result.rows, 'ad_spend')).toBe(2989.1);
      expect(sum(result.rows, 'ad_clicks')).toBe(2037);
      expect(sum(result.rows, 'ad_impressions', { channel: 'PAID_SEARCH' })).toBe(32640);
      expect(sum(result.rows, 'ad_revenue')).toBe(9745.5);
      expect(result.rows.every((row) => row.source === 'Google Ads')).toBe(true);
      expect(result.report.notes).toContain('Amounts in EUR');
    });

    it('adds up two rows of the same day and campaign (segmented by device) into one value', async () => {
      const result = await parse(fixture('google-ads-en.csv'));

      expect(rowsOf(result, 'ad_spend').filter((row) => row.startsWith('2026-10-02|PAID_SEARCH|Generic'))).toEqual([
        '2026-10-02|PAID_SEARCH|Generic - Search|Google Ads|298.8',
      ]);
      // 4.25 + 3.75 conversions sum to a whole 8 before any rounding.
      expect(rowsOf(result, 'ad_conversions').filter((row) => row.startsWith('2026-10-02|PAID_SEARCH|Generic'))).toEqual([
        '2026-10-02|PAID_SEARCH|Generic - Search|Google Ads|8',
      ]);
    });

    it('rounds a fractional daily conversion count once and says so', async () => {
      const result = await parse(fixture('google-ads-en.csv'));

      expect(rowsOf(result, 'ad_conversions').filter((row) => row.startsWith('2026-10-01|PAID_SEARCH|Generic'))).toEqual([
        '2026-10-01|PAID_SEARCH|Generic - Search|Google Ads|7',
      ]);
      expect(result.report.notes.some((note) => /1 daily ad_conversions value\(s\) had fractional conversions/.test(note))).toBe(true);
    });

    it('reports what it mapped and what it ignored, and why', async () => {
      const result = await parse(fixture('google-ads-fr.csv'));

      expect(result.report.columnsMapped.map((column) => `${column.column}→${column.use}`)).toEqual([
        'Jour→date',
        'Campagne→campaign',
        'Type de campagne→channel',
        'Coût→ad_spend',
        'Clics→ad_clicks',
        'Impr.→ad_impressions',
        'Conversions→ad_conversions',
        'Valeur de conv.→ad_revenue',
      ]);
      expect(result.report.columnsIgnored.find((column) => column.column === 'CTR')?.reason).toMatch(/ratio/);
      expect(result.report.columnsIgnored.find((column) => column.column === 'CPC moy.')?.reason).toMatch(/ratio or an average/);
      expect(result.report.columnsIgnored.find((column) => column.column === 'Appareil')?.reason).toMatch(/not a figure/);
    });

    it('names a missing required column in the language of the file', async () => {
      const french = fixture('google-ads-fr.csv').toString('utf8').replace('Coût,', 'Dépense,');
      const result = await parse(french);

      expect(result.rows).toEqual([]);
      expect(result.errors).toEqual([
        expect.objectContaining({ line: 3, code: 'MISSING_COLUMN', column: 'Coût', message: expect.stringContaining('has no column "Coût"') }),
      ]);
      const english = await parse(fixture('google-ads-en.csv').toString('utf8').replace(',Clicks,', ',Interactions,'), 'GOOGLE_ADS');
      expect(english.errors.map((error) => error.message)).toEqual([
        expect.stringContaining('The Google Ads campaign report export (English) has no column "Clicks"'),
      ]);
    });

    it('reads the "Excel CSV" download: UTF-16LE with a BOM and tabs', async () => {
      const text = fixture('google-ads-en.csv')
        .toString('utf8')
        .replace(/^\ufeff/, '');
      const tabbed = text.replace(/"([^"]*)"/g, (_, inner: string) => inner.replace(/,/g, '')).replace(/,/g, '\t');
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tabbed, 'utf16le')]);
      const result = await parse(utf16);

      expect(result.errors).toEqual([]);
      expect(result.report).toMatchObject({ encoding: 'UTF-16LE', delimiter: '\t' });
      expect(sum(result.rows, 'ad_spend')).toBe(2989.1);
    });

    it('locates an unreadable number and a bad date by line and column, and keeps nothing of those rows', async () => {
      const broken = fixture('google-ads-en.csv').toString('utf8').replace('310.20', '31O.20').replace('2026-10-02,Brand', '2026-13-02,Brand');
      const result = await parse(broken);

      expect(result.errors.map((error) => `${error.line}:${error.columnIndex}:${error.column}:${error.code}`)).toEqual([
        '5:6:Cost:INVALID_NUMBER',
        '7:1:Day:INVALID_DATE',
      ]);
      expect(rowsOf(result, 'ad_clicks').some((row) => row.startsWith('2026-10-01|PAID_SEARCH|Generic'))).toBe(false);
    });

    it('refuses a file that mixes currencies', async () => {
      const result = await parse(fixture('google-ads-en.csv').toString('utf8').replace('Display,Computers,EUR', 'Display,Computers,USD'));

      expect(result.errors).toEqual([
        expect.objectContaining({ line: 6, column: 'Currency code', message: expect.stringContaining('USD while the file started in EUR') }),
      ]);
    });
  });

  describe('Meta Ads Manager export', () => {
    it.each([
      ['meta-ads-en.csv', 'en', '7-day click or 1-day view'],
      ['meta-ads-fr.csv', 'fr', 'Clic dans les 7 jours ou vue dans la journée'],
    ])('reads %s per day and campaign as PAID_SOCIAL and names the attribution setting', async (file, language, attribution) => {
      const result = await parse(fixture(file));

      expect(result.errors).toEqual([]);
      expect(result.report.preset?.id).toBe('META_ADS');
      expect(result.report.language).toBe(language);
      expect(result.report.notes).toContain(`Attribution setting: ${attribution}`);
      // 412.35 + 389.90 + 95.60 + 90.15; purchases 12 + 10 + 6 + 5; value 1080 + 900 + 540 + 445.5.
      expect(sum(result.rows, 'ad_spend', { channel: 'PAID_SOCIAL' })).toBe(988);
      expect(sum(result.rows, 'ad_impressions')).toBe(29344);
      expect(sum(result.rows, 'ad_clicks')).toBe(664);
      expect(sum(result.rows, 'ad_conversions')).toBe(33);
      expect(sum(result.rows, 'ad_revenue')).toBe(2965.5);
      expect(sum(result.rows, 'ad_spend', { campaign: 'Retargeting - Cart, 30 days', date: '2026-10-02' })).toBe(90.15);
      expect(result.report.columnsIgnored.map((column) => column.column)).toEqual(
        expect.arrayContaining(['Reach', 'Results'].map((name) => (language === 'en' ? name : name === 'Reach' ? 'Couverture' : 'Résultats'))),
      );
    });

    it('refuses a row covering several days when the export has no Day breakdown', async () => {
      const text = fixture('meta-ads-en.csv').toString('utf8').replace('"Day",', '"Delivery",');
      const result = await parse(text);

      expect(result.errors[0]).toMatchObject({
        line: 2,
        column: 'Reporting starts',
        code: 'INVALID_DATE',
        message: expect.stringContaining('breakdown by Day'),
      });
    });
  });

  describe('GA4 traffic acquisition export', () => {
    it.each([
      ['ga4-en.csv', 'en'],
      ['ga4-fr.csv', 'fr'],
    ])('reads %s after its # preamble: channel groups mapped, bounced = sessions − engaged sessions', async (file, language) => {
      const result = await parse(fixture(file));

      expect(result.errors).toEqual([]);
      expect(result.report.preset?.id).toBe('GA4');
      expect(result.report.language).toBe(language);
      expect(result.report.headerLine).toBe(9);
      expect(result.report.notes).toEqual(expect.arrayContaining(['Account: Maison Lumière', 'Period: 20261001 – 20261002']));
      expect(result.rows.every((row) => row.source === 'GA4 Maison Lumière')).toBe(true);
      // Sessions: organic 1200 + 1100, direct 520 + 480, paid 860 + 900, e-mail 180, organic social (OTHER) 110, referral 140.
      expect(sum(result.rows, 'sessions', { channel: 'ORGANIC_SEARCH' })).toBe(2300);
      expect(sum(result.rows, 'sessions', { channel: 'PAID_SEARCH' })).toBe(1760);
      expect(sum(result.rows, 'sessions', { channel: 'EMAIL' })).toBe(180);
      expect(sum(result.rows, 'sessions', { channel: 'OTHER' })).toBe(110);
      expect(sum(result.rows, 'sessions', { channel: 'REFERRAL' })).toBe(140);
      expect(sum(result.rows, 'sessions')).toBe(5490);
      // Bounced: (1200 − 780) + (1100 − 700) = 820 organic; all channels 1928.
      expect(sum(result.rows, 'bounced_sessions', { channel: 'ORGANIC_SEARCH' })).toBe(820);
      expect(sum(result.rows, 'bounced_sessions')).toBe(1928);
      expect(sum(result.rows, 'new_visitors')).toBe(2610);
      expect(result.rows.some((row) => row.metricKey === 'visitors')).toBe(false);
      expect(result.report.columnsIgnored.find((column) => column.columnIndex === 3)?.reason).toMatch(/distinct users/);
      expect(result.report.notes.some((note) => note.includes('counted as OTHER'))).toBe(true);
    });
  });

  describe('Google Search Console performance export', () => {
    it.each([
      ['search-console-en.csv', 'en'],
      ['search-console-fr.csv', 'fr'],
    ])('reads %s into clicks, impressions and position × impressions, never the CTR', async (file, language) => {
      const result = await parse(fixture(file));

      expect(result.errors).toEqual([]);
      expect(result.report.preset?.id).toBe('SEARCH_CONSOLE');
      expect(result.report.language).toBe(language);
      expect(result.rows.every((row) => row.channel === 'ORGANIC_SEARCH' && row.source === 'Google Search Console')).toBe(true);
      expect(sum(result.rows, 'search_clicks')).toBe(410);
      expect(sum(result.rows, 'search_impressions')).toBe(16000);
      // 8.4 × 5200 + 9.1 × 4800 + 7.25 × 6000 = 43680 + 43680 + 43500; average 130860 / 16000 = 8.17875.
      expect(rowsOf(result, 'search_position_weighted')).toEqual([
        '2026-10-03|ORGANIC_SEARCH||Google Search Console|43680',
        '2026-10-02|ORGANIC_SEARCH||Google Search Console|43680',
        '2026-10-01|ORGANIC_SEARCH||Google Search Console|43500',
      ]);
      expect(sum(result.rows, 'search_position_weighted') / sum(result.rows, 'search_impressions')).toBe(8.17875);
    });

    it('names the Date column when the Queries table is imported instead of Dates', async () => {
      const result = await parse('Top queries,Clicks,Impressions,CTR,Position\nbougie ambre,40,900,4.44%,3.2\n', 'SEARCH_CONSOLE');

      expect(result.errors).toEqual([expect.objectContaining({ code: 'MISSING_COLUMN', column: 'Date' })]);
    });
  });

  describe('Shopify orders export', () => {
    it('counts distinct orders per day, revenue as Total − Taxes, refunds; skips extra line items and voided orders', async () => {
      const result = await parse(fixture('shopify-en.csv'));

      expect(result.errors).toEqual([]);
      expect(result.report.preset?.id).toBe('SHOPIFY');
      expect(rowsOf(result, 'orders')).toEqual(['2026-10-01|OTHER||Shopify|2', '2026-10-02|OTHER||Shopify|2']);
      // Oct 1: (105.90 − 17.65) + (60.00 − 10.00); Oct 2: (250.00 − 41.67) + (40.00 − 6.67).
      expect(rowsOf(result, 'revenue')).toEqual(['2026-10-01|OTHER||Shopify|138.25', '2026-10-02|OTHER||Shopify|241.66']);
      expect(rowsOf(result, 'refunds_amount')).toEqual(['2026-10-01|OTHER||Shopify|20', '2026-10-02|OTHER||Shopify|40']);
      expect(result.report.rowsSkipped).toEqual([
        { reason: 'another line item of an order (its order fields are on its first row)', count: 3, lines: [3, 6, 7] },
        { reason: 'cancelled or voided order', count: 1, lines: [8] },
      ]);
    });
  });

  describe('Stripe exports', () => {
    it('dates UTC payments in the client time zone, keeps paid and refunded ones, revenue net of tax in the account currency', async () => {
      const result = await parse(fixture('stripe-payments-en.csv'));

      expect(result.errors).toEqual([]);
      expect(result.report.preset?.id).toBe('STRIPE_PAYMENTS');
      // 22:30 UTC on Oct 1 is 00:30 on Oct 2 in Paris. Oct 2: (120 − 20) + (30 − 5) + 46.10 converted from USD.
      expect(rowsOf(result, 'revenue')).toEqual(['2026-10-01|OTHER||Stripe|40.83', '2026-10-02|OTHER||Stripe|171.1']);
      expect(rowsOf(result, 'refunds_amount')).toEqual(['2026-10-02|OTHER||Stripe|30']);
      expect(result.report.rowsSkipped).toEqual([{ reason: 'status "Failed": no money received', count: 1, lines: [5] }]);
    });

    it('reads the balance report: charges are revenue, refunds are a positive refunded amount, payouts are skipped', async () => {
      const result = await parse(fixture('stripe-balance-en.csv'));

      expect(result.errors).toEqual([]);
      expect(result.report.preset?.id).toBe('STRIPE_BALANCE');
      expect(rowsOf(result, 'revenue')).toEqual(['2026-10-01|OTHER||Stripe|49', '2026-10-02|OTHER||Stripe|120']);
      expect(rowsOf(result, 'refunds_amount')).toEqual(['2026-10-02|OTHER||Stripe|30']);
      expect(result.report.rowsSkipped[0]).toMatchObject({ reason: 'reporting category "payout": not a sale or a refund', count: 1 });
    });
  });

  describe('e-mail campaign reports', () => {
    it('reads the Mailchimp report: counts per campaign on its send day, never rates', async () => {
      const result = await parse(fixture('mailchimp-en.csv'));

      expect(result.errors).toEqual([]);
      expect(result.report.preset?.id).toBe('MAILCHIMP');
      expect(result.rows.every((row) => row.channel === 'EMAIL' && row.source === 'Mailchimp Maison Lumière clients')).toBe(true);
      expect(sum(result.rows, 'emails_sent')).toBe(25610);
      expect(sum(result.rows, 'emails_delivered')).toBe(25150);
      expect(sum(result.rows, 'email_opens')).toBe(8310);
      expect(sum(result.rows, 'email_clicks', { date: '2026-10-01' })).toBe(730);
      expect(sum(result.rows, 'email_unsubscribes')).toBe(80);
      expect(sum(result.rows, 'emails_sent', { campaign: 'Relance panier — octobre' })).toBe(860);
      expect(result.report.columnsIgnored.find((column) => column.column === 'Open Rate')?.reason).toMatch(/ratio/);
    });

    it.each([
      ['brevo-fr.csv', 'fr'],
      ['brevo-en.csv', 'en'],
    ])('reads the Brevo report %s with its semicolons and send dates in the UI order', async (file, language) => {
      const result = await parse(fixture(file));

      expect(result.errors).toEqual([]);
      expect(result.report).toMatchObject({ preset: { id: 'BREVO' }, language, delimiter: ';' });
      expect(sum(result.rows, 'emails_sent')).toBe(10380);
      expect(sum(result.rows, 'emails_delivered')).toBe(10200);
      expect(sum(result.rows, 'email_opens', { date: '2026-10-02' })).toBe(1985);
      expect(sum(result.rows, 'email_clicks')).toBe(790);
      expect(sum(result.rows, 'email_unsubscribes')).toBe(21);
    });
  });

  it('does not recognise our own layout nor an unknown file, and says which exports it knows', async () => {
    const result = await parse('date;metric;value\n2026-10-01;sessions;12\n');

    expect(result.report.preset).toBeNull();
    expect(result.errors).toEqual([expect.objectContaining({ code: 'FORMAT_UNDETECTED', message: expect.stringContaining('Google Ads campaign report') })]);
  });

  it('locates a quote never closed in the data, after the header was found', async () => {
    const lines = ['Date,Clicks,Impressions,CTR,Position'];
    for (let day = 1; day <= 9; day++) lines.push(`2026-10-0${day},1,10,10%,3`);
    for (let day = 10; day <= 30; day++) lines.push(`2026-10-${day},1,10,10%,3`);
    lines.push('2026-10-31,"1,10,10%,3');
    const result = await parse(lines.join('\n') + '\n');

    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([expect.objectContaining({ line: 32, code: 'CSV_SYNTAX', message: expect.stringContaining('never closed') })]);
  });

  it('refuses dates more than a year ahead and values storage cannot hold, naming the line', async () => {
    const result = await parse('Date,Clicks,Impressions,CTR,Position\n2031-10-01,10,100,10%,3\n2026-10-01,10,-5,10%,3\n');

    expect(result.errors.map((error) => `${error.line}:${error.code}`)).toEqual([
      '2:DATE_OUT_OF_RANGE',
      '2:DATE_OUT_OF_RANGE',
      '2:DATE_OUT_OF_RANGE',
      '3:NEGATIVE_VALUE',
    ]);
  });

  describe('saved column mappings', () => {
    const mapping: ColumnMapping = {
      name: 'Bing Ads daily',
      dateColumn: 'Gregorian date',
      dateFormat: 'MDY',
      campaignColumn: 'Campaign name',
      channel: 'OTHER',
      channelColumn: 'Network',
      channelValues: [
        { value: 'Bing and Yahoo! search', channel: 'PAID_SEARCH' },
        { value: 'Audience', channel: 'PAID_SOCIAL' },
      ],
      source: 'Microsoft Ads 1234',
      metrics: [
        { column: 'Spend', metricKey: 'ad_spend' },
        { column: 'Clicks', metricKey: 'ad_clicks' },
      ],
    };

    it('applies a mapping like a preset: preamble tolerated, day aggregation, channel pairs, unmatched values noted', async () => {
      const text =
        '"Report Name: Campaign performance"\n"Report Time: 10/1/2026 - 10/2/2026"\n\n' +
        'Gregorian date,Campaign name,Network,Spend,Clicks,CTR\n' +
        '10/01/2026,Brand,Bing and Yahoo! search,12.50,10,3%\n' +
        '10/01/2026,Brand,Bing and Yahoo! search,"1,000.25",90,3%\n' +
        '10/01/2026,Brand,Audience,4.00,2,1%\n' +
        '10/02/2026,Brand,Syndicated partners,1.00,1,1%\n';
      const result = await parseExportFile(Buffer.from(text), { ...base, presets: [mappingPreset(mapping)], forced: true });

      expect(result.errors).toEqual([]);
      expect(result.report.preset).toEqual({ id: 'MAPPING', name: 'mapping "Bing Ads daily"' });
      expect(rowsOf(result, 'ad_spend')).toEqual([
        '2026-10-01|PAID_SEARCH|Brand|Microsoft Ads 1234|1012.75',
        '2026-10-01|PAID_SOCIAL|Brand|Microsoft Ads 1234|4',
        '2026-10-02|OTHER|Brand|Microsoft Ads 1234|1',
      ]);
      expect(result.report.notes).toContain('Channel value "Syndicated partners" has no pair in the mapping: counted as OTHER');
      expect(result.report.columnsIgnored).toEqual([expect.objectContaining({ column: 'CTR' })]);
    });

    it('names the mapped column a file lacks', async () => {
      const result = await parseExportFile(Buffer.from('Gregorian date,Campaign name,Network,Cost,Clicks\n10/01/2026,Brand,Audience,1,1\n'), {
        ...base,
        presets: [mappingPreset(mapping)],
        forced: true,
      });

      expect(result.errors).toEqual([
        expect.objectContaining({ code: 'MISSING_COLUMN', column: 'Spend', message: expect.stringContaining('no column "Spend"') }),
      ]);
    });
  });
});
