import { randomBytes } from 'node:crypto';
import { GOOGLE_ADS_API_VERSION } from '@pilotage/connectors';
import { FailurePlan, json, jsonBody, type FakePlatform, type FakeRequest, type FakeResponse } from './fake-server';
import type { GoogleIdentityFake } from './google-identity.fake';
import { daysOf, ISO_DAY, Restatements, seededInt } from './seeded-figures';

export const GOOGLE_ADS_SCOPE = 'https://www.googleapis.com/auth/adwords';

/** A campaign's day, as the fake serves it (before the documented GoogleAdsRow shape). */
export interface GoogleAdsFakeRow {
  readonly date: string;
  readonly campaignId: string;
  readonly campaignName: string;
  /** `campaign.advertising_channel_type` (AdvertisingChannelTypeEnum). */
  readonly advertisingChannelType: string;
  readonly costMicros: number;
  readonly clicks: number;
  readonly impressions: number;
  /** Fractional under data-driven attribution. */
  readonly conversions: number;
  readonly conversionsValue: number;
}

const CAMPAIGNS: readonly (readonly [string, string, string])[] = [
  ['1001', 'Brand | Search FR', 'SEARCH'],
  ['1002', 'Shopping – all products', 'SHOPPING'],
  ['1003', 'PMax Q4', 'PERFORMANCE_MAX'],
  ['1004', 'Remarketing display', 'DISPLAY'],
  ['1005', 'YouTube awareness', 'VIDEO'],
];

/** GAQL field → where the REST JSON row carries it (lowerCamelCase, as proto3 JSON writes it). */
const FIELDS: Readonly<Record<string, (row: GoogleAdsFakeRow) => readonly [string, string, string | number]>> = {
  'segments.date': (row) => ['segments', 'date', row.date],
  'campaign.id': (row) => ['campaign', 'id', row.campaignId],
  'campaign.name': (row) => ['campaign', 'name', row.campaignName],
  'campaign.advertising_channel_type': (row) => ['campaign', 'advertisingChannelType', row.advertisingChannelType],
  // int64 fields are JSON strings; doubles are numbers. Zero values are left out (proto3 JSON).
  'metrics.cost_micros': (row) => ['metrics', 'costMicros', String(row.costMicros)],
  'metrics.clicks': (row) => ['metrics', 'clicks', String(row.clicks)],
  'metrics.impressions': (row) => ['metrics', 'impressions', String(row.impressions)],
  'metrics.conversions': (row) => ['metrics', 'conversions', row.conversions],
  'metrics.conversions_value': (row) => ['metrics', 'conversionsValue', row.conversionsValue],
};

const QUERY = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)\s+WHERE\s+segments\.date\s+BETWEEN\s+'([^']*)'\s+AND\s+'([^']*)'\s*$/is;
const camel = (path: string): string => path.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * A Google Ads API error as the REST interface answers a streaming call: the google.rpc.Status
 * in a one-element array, its details a GoogleAdsFailure naming the error code.
 */
export function googleAdsError(code: number, status: string, message: string, errorCode: Record<string, string>, errorMessage: string): FakeResponse {
  return json(code, [
    {
      error: {
        code,
        message,
        status,
        details: [
          {
            '@type': `type.googleapis.com/google.ads.googleads.${GOOGLE_ADS_API_VERSION}.errors.GoogleAdsFailure`,
            errors: [{ errorCode, message: errorMessage }],
            requestId: randomBytes(11).toString('base64url'),
          },
        ],
      },
    },
  ]);
}

const queryError = (code: string, message: string): FakeResponse =>
  googleAdsError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.', { queryError: code }, message);

export interface GoogleAdsFakeOptions {
  readonly developerToken: string;
  /** Customers the test user may read, with the manager (login-customer-id) through which, or null for direct access. */
  readonly customers?: Readonly<Record<string, string | null>>;
}

/**
 * Google Ads API `POST /{version}/customers/{customerId}/googleAds:searchStream` on loopback:
 * checks the bearer token, the `developer-token` header (and whether it is approved), the
 * `login-customer-id` a manager-accessed customer needs, and the GAQL (SELECT of known campaign
 * fields FROM campaign WHERE segments.date BETWEEN two dates). Answers the documented stream:
 * a JSON array of batches `{results, fieldMask, requestId}` of at most {@link batchSize} rows.
 */
export class GoogleAdsFake implements FakePlatform {
  readonly failures = new FailurePlan();
  /** Rows per stream batch (the API sends up to 10,000). */
  batchSize = 10_000;
  /** False: the developer token is only approved for test accounts (DEVELOPER_TOKEN_NOT_APPROVED). */
  developerTokenApproved = true;
  private readonly restatements = new Restatements<GoogleAdsFakeRow>();
  private readonly customers: Readonly<Record<string, string | null>>;

  constructor(
    private readonly identity: GoogleIdentityFake,
    private readonly options: GoogleAdsFakeOptions,
  ) {
    this.customers = options.customers ?? { '1234567890': null, '2345678901': '9999999999' };
  }

  restate(customerId: string, date: string, change: (row: GoogleAdsFakeRow) => GoogleAdsFakeRow | null): void {
    this.restatements.add(customerId, date, change);
  }

  rowsFor(customerId: string, from: string, to: string): GoogleAdsFakeRow[] {
    return daysOf(from, to).flatMap((date) => this.restatements.apply(customerId, date, this.seeded(customerId, date)));
  }

  private seeded(customerId: string, date: string): GoogleAdsFakeRow[] {
    return CAMPAIGNS.map(([campaignId, campaignName, advertisingChannelType]) => {
      const seed = `google-ads|${customerId}|${date}|${campaignId}`;
      const impressions = seededInt(`${seed}|impressions`, 0, 20_000);
      const clicks = seededInt(`${seed}|clicks`, 0, Math.floor(impressions / 15));
      return {
        date,
        campaignId,
        campaignName,
        advertisingChannelType,
        costMicros: clicks === 0 ? 0 : seededInt(`${seed}|cost`, 10_000, 400_000_000),
        clicks,
        impressions,
        // Data-driven attribution gives fractions of conversions; halves exercise the rounding.
        conversions: seededInt(`${seed}|conversions`, 0, 40) / 2 + (seededInt(`${seed}|fraction`, 0, 3) === 0 ? 0.25 : 0),
        conversionsValue: seededInt(`${seed}|value`, 0, 900_000) / 100,
      };
    });
  }

  handle(request: FakeRequest): FakeResponse | null {
    const match = /^\/(v\d+)\/customers\/([^/]+)\/googleAds:searchStream$/.exec(request.url.pathname);
    if (request.method !== 'POST' || match === null || match[1] !== GOOGLE_ADS_API_VERSION) return null;
    const failure = this.failures.take();
    if (failure !== null) return failure;
    const refused = this.identity.authorize(request, GOOGLE_ADS_SCOPE);
    if (refused !== null) return refused;
    const developerToken = request.headers['developer-token'];
    if (developerToken !== this.options.developerToken) {
      return googleAdsError(
        401,
        'UNAUTHENTICATED',
        'Request is missing required authentication credential.',
        { authenticationError: 'DEVELOPER_TOKEN_INVALID' },
        'The developer token is not valid.',
      );
    }
    if (!this.developerTokenApproved) {
      return googleAdsError(
        403,
        'PERMISSION_DENIED',
        'The caller does not have permission',
        { authorizationError: 'DEVELOPER_TOKEN_NOT_APPROVED' },
        'The developer token is only approved for use with test accounts. To access non-test accounts, apply for Basic or Standard access.',
      );
    }
    const customerId = match[2];
    if (!/^\d{10}$/.test(customerId)) {
      return googleAdsError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.', { requestError: 'INVALID_CUSTOMER_ID' }, 'Invalid customer ID.');
    }
    const manager = this.customers[customerId];
    const loginCustomerId = request.headers['login-customer-id'];
    if (manager === undefined || (manager !== null && loginCustomerId !== manager)) {
      return googleAdsError(
        403,
        'PERMISSION_DENIED',
        'The caller does not have permission',
        { authorizationError: 'USER_PERMISSION_DENIED' },
        "User doesn't have permission to access customer. Note: If you're accessing a client customer, the manager's customer id must be set in the 'login-customer-id' header.",
      );
    }
    let body: unknown;
    try {
      body = jsonBody(request);
    } catch {
      return googleAdsError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.', { requestError: 'INVALID_INPUT' }, 'Invalid JSON payload received.');
    }
    const query = typeof body === 'object' && body !== null && 'query' in body ? body.query : undefined;
    if (typeof query !== 'string' || query.trim() === '') return queryError('QUERY_NOT_PROVIDED', 'The query is empty.');
    const parsed = QUERY.exec(query);
    if (parsed === null)
      return queryError('UNEXPECTED_INPUT', "This fake reads SELECT ... FROM campaign WHERE segments.date BETWEEN 'YYYY-MM-DD' AND 'YYYY-MM-DD'.");
    const [, selectList, resource, from, to] = parsed;
    if (resource !== 'campaign') return queryError('INVALID_RESOURCE_NAME', `This fake serves the campaign resource, not ${resource}.`);
    const fields = selectList.split(',').map((field) => field.trim());
    const unknown = fields.find((field) => !(field in FIELDS));
    if (unknown !== undefined) return queryError('UNRECOGNIZED_FIELD', `Unrecognized field in the query: '${unknown}'.`);
    if (!ISO_DAY.test(from) || !ISO_DAY.test(to)) return queryError('INVALID_LITERAL', 'Dates must be written YYYY-MM-DD.');
    if (to < from) return queryError('INVALID_VALUE_WITH_BETWEEN_OPERATOR', 'The first date of BETWEEN must not be after the second.');
    const results = this.rowsFor(customerId, from, to).map((row) => {
      const result: Record<string, Record<string, string | number>> = {
        campaign: { resourceName: `customers/${customerId}/campaigns/${row.campaignId}` },
      };
      for (const field of fields) {
        const [group, name, value] = FIELDS[field](row);
        if (value === 0 || value === '0') continue;
        result[group] = { ...result[group], [name]: value };
      }
      return result;
    });
    const fieldMask = fields.map(camel).join(',');
    const requestId = randomBytes(11).toString('base64url');
    const batches: unknown[] = [];
    for (let start = 0; start < results.length; start += this.batchSize) {
      batches.push({ results: results.slice(start, start + this.batchSize), fieldMask, requestId });
    }
    return json(200, batches.length === 0 ? [{ fieldMask, requestId }] : batches);
  }
}
