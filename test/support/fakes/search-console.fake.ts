import { FailurePlan, json, jsonBody, type FakePlatform, type FakeRequest, type FakeResponse } from './fake-server';
import { googleError, type GoogleIdentityFake } from './google-identity.fake';
import { daysOf, ISO_DAY, Restatements, seededInt } from './seeded-figures';

export const SEARCH_CONSOLE_SCOPE = 'https://www.googleapis.com/auth/webmasters.readonly';

/** One row of `searchAnalytics.query` grouped by date (Search Console API reference, "Response body"). */
export interface SearchConsoleRow {
  readonly keys: readonly [string];
  readonly clicks: number;
  readonly impressions: number;
  readonly ctr: number;
  readonly position: number;
}

/** Documented limits of the request (searchAnalytics.query, "Request body"). */
const MAX_ROW_LIMIT = 25_000;
const DEFAULT_ROW_LIMIT = 1000;
const DIMENSIONS = new Set(['date', 'query', 'page', 'country', 'device', 'searchAppearance', 'hour']);
const SEARCH_TYPES = new Set(['web', 'image', 'video', 'news', 'discover', 'googleNews']);
const DATA_STATES = new Set(['final', 'all', 'hourly_all']);
const PATH = /^\/webmasters\/v3\/sites\/([^/]+)\/searchAnalytics\/query$/;

const invalid = (message: string): FakeResponse => googleError(400, 'INVALID_ARGUMENT', message);

/**
 * Search Console API `POST /webmasters/v3/sites/{siteUrl}/searchAnalytics/query` on loopback,
 * for the sites the test user has access to. Serves the `date` dimension only (what Pilotage
 * asks for); pages with `rowLimit`/`startRow` exactly as documented (rows sorted by date, an
 * empty answer carries no `rows`). Figures are seeded per (site, date).
 */
export class SearchConsoleFake implements FakePlatform {
  readonly failures = new FailurePlan();
  private readonly restatements = new Restatements<SearchConsoleRow>();

  constructor(
    private readonly identity: GoogleIdentityFake,
    private readonly sites: readonly string[] = ['sc-domain:example.com', 'https://www.example.com/'],
  ) {}

  /** Later pulls of this day answer `change(row)` (null: the day has no row any more). */
  restate(siteUrl: string, date: string, change: (row: SearchConsoleRow) => SearchConsoleRow | null): void {
    this.restatements.add(siteUrl, date, change);
  }

  /** The rows this fake serves for the site and days, restatements applied (for the tests' expected values). */
  rowsFor(siteUrl: string, from: string, to: string): SearchConsoleRow[] {
    return daysOf(from, to).flatMap((date) => this.restatements.apply(siteUrl, date, [this.seeded(siteUrl, date)]));
  }

  private seeded(siteUrl: string, date: string): SearchConsoleRow {
    const seed = `search-console|${siteUrl}|${date}`;
    const impressions = seededInt(`${seed}|impressions`, 20, 9000);
    const clicks = seededInt(`${seed}|clicks`, 0, Math.floor(impressions / 8));
    // Search Console gives the average position as a double with many decimals (1 is the top).
    const position = seededInt(`${seed}|position`, 100_000, 4_000_000) / 100_000 + seededInt(`${seed}|tail`, 1, 999) / 1e9;
    return { keys: [date], clicks, impressions, ctr: clicks / impressions, position };
  }

  handle(request: FakeRequest): FakeResponse | null {
    const match = PATH.exec(request.url.pathname);
    if (request.method !== 'POST' || match === null) return null;
    const failure = this.failures.take();
    if (failure !== null) return failure;
    const refused = this.identity.authorize(request, SEARCH_CONSOLE_SCOPE);
    if (refused !== null) return refused;
    const siteUrl = decodeURIComponent(match[1]);
    if (!this.sites.includes(siteUrl)) {
      return googleError(
        403,
        'PERMISSION_DENIED',
        `User does not have sufficient permission for site '${siteUrl}'. See also: https://support.google.com/webmasters/answer/2451999.`,
      );
    }
    let body: unknown;
    try {
      body = jsonBody(request);
    } catch {
      return invalid('Invalid JSON payload received.');
    }
    if (typeof body !== 'object' || body === null) return invalid('Request body must be a JSON object.');
    const query = body as Record<string, unknown>;
    const { startDate, endDate } = query;
    if (typeof startDate !== 'string' || !ISO_DAY.test(startDate)) return invalid('startDate is required, in YYYY-MM-DD format.');
    if (typeof endDate !== 'string' || !ISO_DAY.test(endDate)) return invalid('endDate is required, in YYYY-MM-DD format.');
    if (endDate < startDate) return invalid('endDate must be on or after startDate.');
    const dimensions = query.dimensions ?? [];
    if (!Array.isArray(dimensions) || dimensions.some((dimension) => typeof dimension !== 'string' || !DIMENSIONS.has(dimension))) {
      return invalid('dimensions must be a list of country, device, page, query, searchAppearance, date, hour.');
    }
    if (dimensions.length !== 1 || dimensions[0] !== 'date') return invalid('This fake serves the date dimension only.');
    const type = query.type ?? query.searchType ?? 'web';
    if (typeof type !== 'string' || !SEARCH_TYPES.has(type)) return invalid(`Invalid search type: ${JSON.stringify(type)}.`);
    const dataState = query.dataState ?? 'final';
    if (typeof dataState !== 'string' || !DATA_STATES.has(dataState)) return invalid(`Invalid dataState: ${JSON.stringify(dataState)}.`);
    const rowLimit = query.rowLimit ?? DEFAULT_ROW_LIMIT;
    if (typeof rowLimit !== 'number' || !Number.isInteger(rowLimit) || rowLimit < 1 || rowLimit > MAX_ROW_LIMIT) {
      return invalid(`rowLimit must be an integer between 1 and ${MAX_ROW_LIMIT}.`);
    }
    const startRow = query.startRow ?? 0;
    if (typeof startRow !== 'number' || !Number.isInteger(startRow) || startRow < 0) return invalid('startRow must be a non-negative integer.');
    const rows = this.rowsFor(siteUrl, startDate, endDate).slice(startRow, startRow + rowLimit);
    return json(200, rows.length === 0 ? { responseAggregationType: 'byProperty' } : { rows, responseAggregationType: 'byProperty' });
  }
}
