import { FailurePlan, json, jsonBody, type FakePlatform, type FakeRequest, type FakeResponse } from './fake-server';
import { googleError, type GoogleIdentityFake } from './google-identity.fake';
import { daysOf, ISO_DAY, Restatements, seededInt } from './seeded-figures';

export const GA4_SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';

/** A day's figures for one channel group and campaign, as the fake serves them (before the documented row shape). */
export interface Ga4Row {
  /** `YYYY-MM-DD` (served as GA4's `YYYYMMDD`). */
  readonly date: string;
  readonly sessionDefaultChannelGroup: string;
  readonly sessionCampaignName: string;
  readonly sessions: number;
  readonly engagedSessions: number;
  readonly newUsers: number;
}

/**
 * The (channel group, campaign) pairs of every fake property: GA4's placeholders included, and
 * two pairs our channels fold together (Organic Social and Unassigned are both OTHER, '').
 */
const SEGMENTS: readonly (readonly [string, string])[] = [
  ['Organic Search', '(organic)'],
  ['Direct', '(direct)'],
  ['Paid Search', 'brand_fr'],
  ['Paid Search', 'generic_fr'],
  ['Email', 'newsletter_2026_10'],
  ['Referral', '(referral)'],
  ['Organic Social', '(not set)'],
  ['Unassigned', '(not set)'],
];

/** Data API schema names the fake knows (Analytics Data API "API Dimensions & Metrics"). */
const DIMENSIONS = new Set(['date', 'sessionDefaultChannelGroup', 'sessionCampaignName']);
const METRICS = new Set(['sessions', 'engagedSessions', 'newUsers']);
/** runReport: "limit ... must be positive ... The API returns a maximum of 250,000 rows per request". */
const MAX_LIMIT = 250_000;
const DEFAULT_LIMIT = 10_000;
const PATH = /^\/v1beta\/properties\/([^/:]+):runReport$/;

const invalid = (message: string): FakeResponse => googleError(400, 'INVALID_ARGUMENT', message);

/** An int64 given as JSON number or string (proto3 JSON accepts both), or null when absent; NaN when it is not one. */
function int64(value: unknown): number | null {
  if (value === undefined) return null;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return Number.NaN;
}

/**
 * Google Analytics Data API `POST /v1beta/properties/{property}:runReport` on loopback for the
 * properties the test user may read: the request checked as documented (dateRanges, dimensions,
 * metrics, limit, offset), rows as `dimensionValues`/`metricValues` strings with dates as
 * `YYYYMMDD`, `rowCount` the total over all pages, `rows` left out when there are none. A page
 * holds at most {@link pageSize} rows even when the limit asks for more (GA4 may also return
 * fewer rows than the limit), so tests can force several pages.
 */
export class Ga4Fake implements FakePlatform {
  readonly failures = new FailurePlan();
  /** The largest page this fake answers. */
  pageSize = MAX_LIMIT;
  private readonly restatements = new Restatements<Ga4Row>();

  constructor(
    private readonly identity: GoogleIdentityFake,
    private readonly properties: readonly string[] = ['123456789', '987654321'],
  ) {}

  restate(propertyId: string, date: string, change: (row: Ga4Row) => Ga4Row | null): void {
    this.restatements.add(propertyId, date, change);
  }

  /** The rows served for the property and days, restatements applied (for the tests' expected values). */
  rowsFor(propertyId: string, from: string, to: string): Ga4Row[] {
    return daysOf(from, to).flatMap((date) => this.restatements.apply(propertyId, date, this.seeded(propertyId, date)));
  }

  private seeded(propertyId: string, date: string): Ga4Row[] {
    return SEGMENTS.map(([group, campaign]) => {
      const seed = `ga4|${propertyId}|${date}|${group}|${campaign}`;
      const sessions = seededInt(`${seed}|sessions`, 1, 900);
      return {
        date,
        sessionDefaultChannelGroup: group,
        sessionCampaignName: campaign,
        sessions,
        engagedSessions: seededInt(`${seed}|engaged`, 0, sessions),
        newUsers: seededInt(`${seed}|new`, 0, sessions),
      };
    });
  }

  handle(request: FakeRequest): FakeResponse | null {
    const match = PATH.exec(request.url.pathname);
    if (request.method !== 'POST' || match === null) return null;
    const failure = this.failures.take();
    if (failure !== null) return failure;
    const refused = this.identity.authorize(request, GA4_SCOPE);
    if (refused !== null) return refused;
    const propertyId = match[1];
    if (!/^\d+$/.test(propertyId)) return invalid(`Invalid property ID: ${propertyId}. A numeric Property ID is required.`);
    if (!this.properties.includes(propertyId)) {
      return googleError(
        403,
        'PERMISSION_DENIED',
        'User does not have sufficient permissions for this property. To learn more about Property ID, see https://developers.google.com/analytics/devguides/reporting/data/v1/property-id.',
      );
    }
    let body: unknown;
    try {
      body = jsonBody(request);
    } catch {
      return invalid('Invalid JSON payload received.');
    }
    if (typeof body !== 'object' || body === null) return invalid('Request body must be a JSON object.');
    const report = body as Record<string, unknown>;
    const { dateRanges } = report;
    if (!Array.isArray(dateRanges) || dateRanges.length !== 1) return invalid('This fake serves exactly one date range (dateRanges).');
    const range: unknown = dateRanges[0];
    if (typeof range !== 'object' || range === null) return invalid('dateRanges[0] must be an object.');
    const { startDate, endDate } = range as Record<string, unknown>;
    if (typeof startDate !== 'string' || !ISO_DAY.test(startDate)) return invalid('dateRanges[0].startDate must be YYYY-MM-DD.');
    if (typeof endDate !== 'string' || !ISO_DAY.test(endDate)) return invalid('dateRanges[0].endDate must be YYYY-MM-DD.');
    if (endDate < startDate) return invalid('dateRanges[0]: the start date must not be after the end date.');
    const dimensions = names(report.dimensions);
    const metrics = names(report.metrics);
    if (dimensions === null || dimensions.some((name) => !DIMENSIONS.has(name))) {
      return invalid(
        `Field ${JSON.stringify(report.dimensions)} is not a valid dimension. For a list of valid dimensions, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema.`,
      );
    }
    if (metrics === null || metrics.length === 0 || metrics.some((name) => !METRICS.has(name))) {
      return invalid(
        `Field ${JSON.stringify(report.metrics)} is not a valid metric. For a list of valid metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema.`,
      );
    }
    if (dimensions.join(',') !== 'date,sessionDefaultChannelGroup,sessionCampaignName') {
      return invalid('This fake serves the dimensions date, sessionDefaultChannelGroup, sessionCampaignName in that order.');
    }
    const limit = int64(report.limit) ?? DEFAULT_LIMIT;
    if (!(limit > 0)) return invalid('limit must be positive.');
    const offset = int64(report.offset) ?? 0;
    if (!(offset >= 0)) return invalid('offset must be non-negative.');
    const all = this.rowsFor(propertyId, startDate, endDate);
    const page = all.slice(offset, offset + Math.min(limit, MAX_LIMIT, this.pageSize));
    return json(200, {
      dimensionHeaders: dimensions.map((name) => ({ name })),
      metricHeaders: metrics.map((name) => ({ name, type: 'TYPE_INTEGER' })),
      ...(page.length === 0
        ? {}
        : {
            rows: page.map((row) => ({
              dimensionValues: [{ value: row.date.replace(/-/g, '') }, { value: row.sessionDefaultChannelGroup }, { value: row.sessionCampaignName }],
              metricValues: metrics.map((name) => ({ value: String(row[name as 'sessions' | 'engagedSessions' | 'newUsers']) })),
            })),
          }),
      ...(all.length === 0 ? {} : { rowCount: all.length }),
      metadata: { currencyCode: 'EUR', timeZone: 'Europe/Paris' },
      kind: 'analyticsData#runReport',
    });
  }
}

/** `[{name: 'date'}, ...]` as names, or null when the list is malformed. */
function names(list: unknown): string[] | null {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return null;
  const result: string[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null || !('name' in item) || typeof item.name !== 'string') return null;
    result.push(item.name);
  }
  return result;
}
