import type { MetricCsvImportReport } from '@pilotage/ingestion';
/**
 * The few calls the demo makes to the API, over HTTP as an agency's front-end would: GraphQL
 * with a Bearer token, and the CSV import route (GraphQL bodies are limited to 100 KB; two
 * years of daily figures are not).
 */

export interface GraphqlErrorEntry {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly code?: string } & Readonly<Record<string, unknown>>;
}

/** A GraphQL (or HTTP) error from the API, with the code the API gave it (`BAD_USER_INPUT`, ...). */
export class PilotageApiError extends Error {
  constructor(
    message: string,
    /** `extensions.code` of the first GraphQL error, or `HTTP_<status>`. */
    readonly code: string,
    readonly errors: readonly GraphqlErrorEntry[] = [],
  ) {
    super(message);
    this.name = 'PilotageApiError';
  }
}

/** Query string of `POST /clients/:clientId/metric-imports` the demo uses. */
export interface MetricCsvImportOptions {
  readonly format: 'LONG' | 'WIDE';
  readonly delimiter: ',' | ';' | 'tab';
  readonly decimal: 'POINT' | 'COMMA';
  readonly dateFormat: 'ISO' | 'DMY' | 'MDY';
  readonly fileName?: string;
}

interface GraphqlResponseBody<T> {
  readonly data?: T | null;
  readonly errors?: readonly GraphqlErrorEntry[];
}

export class PilotageApiClient {
  constructor(
    /** `http://127.0.0.1:3000`, without a trailing slash. */
    readonly baseUrl: string,
    private readonly token: string | null = null,
  ) {}

  /** The same API, signed in as the holder of `token`. */
  withToken(token: string): PilotageApiClient {
    return new PilotageApiClient(this.baseUrl, token);
  }

  /** One GraphQL operation; throws {@link PilotageApiError} on any error, with its message and code. */
  async request<T>(query: string, variables: Readonly<Record<string, unknown>> = {}): Promise<T> {
    const response = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.authorization() },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let body: GraphqlResponseBody<T>;
    try {
      body = JSON.parse(text) as GraphqlResponseBody<T>;
    } catch {
      throw new PilotageApiError(`The API answered ${response.status} with no GraphQL body: ${text.slice(0, 200)}`, `HTTP_${response.status}`);
    }
    const errors = body.errors ?? [];
    if (errors.length > 0) {
      const first = errors[0];
      const where = first.path ? ` (at ${first.path.join('.')})` : '';
      throw new PilotageApiError(`${first.message}${where}`, first.extensions?.code ?? `HTTP_${response.status}`, errors);
    }
    if (body.data === undefined || body.data === null) {
      throw new PilotageApiError(`The API answered ${response.status} without data`, `HTTP_${response.status}`);
    }
    return body.data;
  }

  /** Sends a CSV file of metric values as the request body; throws unless it was committed whole. */
  async importMetricCsv(clientId: string, csv: string, options: MetricCsvImportOptions): Promise<MetricCsvImportReport> {
    const query = new URLSearchParams({ format: options.format, delimiter: options.delimiter, decimal: options.decimal, dateFormat: options.dateFormat });
    if (options.fileName !== undefined) query.set('fileName', options.fileName);
    const response = await fetch(`${this.baseUrl}/clients/${encodeURIComponent(clientId)}/metric-imports?${query.toString()}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv; charset=utf-8', ...this.authorization() },
      body: csv,
    });
    const text = await response.text();
    if (response.status === 200) return JSON.parse(text) as MetricCsvImportReport;
    if (response.status === 422) {
      const report = JSON.parse(text) as MetricCsvImportReport;
      const shown = report.errors.slice(0, 5).map((error) => `line ${error.line}: ${error.message}`);
      throw new PilotageApiError(`The CSV import was rejected with ${report.errorCount} error(s): ${shown.join('; ')}`, 'IMPORT_REJECTED');
    }
    throw new PilotageApiError(`The CSV import failed with HTTP ${response.status}: ${text.slice(0, 300)}`, `HTTP_${response.status}`);
  }

  private authorization(): Record<string, string> {
    return this.token === null ? {} : { authorization: `Bearer ${this.token}` };
  }
}
