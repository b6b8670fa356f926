import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }): unknown => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value);
const emptyToUndefined = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : value);

/** Names of environment variables whose values must never be logged. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'JWT_SECRET',
  'DOWNLOAD_URL_SECRET',
  'SMTP_PASSWORD',
  'DATABASE_URL',
  'DATABASE_OWNER_URL',
  'DATABASE_QUEUE_URL',
  'CONNECTOR_TOKEN_KEYS',
  'GOOGLE_OAUTH_CLIENT_SECRET',
  'GOOGLE_ADS_DEVELOPER_TOKEN',
  'META_APP_SECRET',
]);

/**
 * The environment as the application reads it. Property names are the environment
 * variable names so that a validation error names exactly the variable to fix.
 */
class Environment {
  @IsOptional()
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /**
   * The schema owner, for migrations only: the migrate step (`npm run migrate`), or a process that
   * migrates at its start when it is set (development). The API and the worker never need it.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_OWNER_URL must be a postgres:// URL' })
  DATABASE_OWNER_URL?: string;

  /** The worker's pg-boss connection: a role limited to pg-boss's tables (`pilotage_queue`). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_QUEUE_URL must be a postgres:// URL' })
  DATABASE_QUEUE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @Transform(toBool)
  @IsBoolean()
  MIGRATIONS_RUN = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_POSTGRES_PORT = 54329;

  @IsString()
  DATA_DIR = '.data';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  JWT_TTL_SECONDS = 900;

  /** Lifetime of a session: its refresh token is refused after this, whatever the rotations. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(365 * 24 * 3600)
  REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

  /** Lifetime of the e-mailed tokens (address verification, password reset). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  ACCOUNT_TOKEN_TTL_SECONDS = 3600;

  /** How long a request may rely on a cached session check before asking the database again. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60)
  SESSION_CHECK_CACHE_SECONDS = 5;

  /**
   * Which reverse proxies may set X-Forwarded-For: a hop count or a comma-separated list of
   * addresses/CIDRs (or loopback, linklocal, uniquelocal), as Express's `trust proxy`. Unset: none.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'DOWNLOAD_URL_SECRET must be at least 32 characters' })
  DOWNLOAD_URL_SECRET?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  CHROMIUM_PATH?: string;

  /** Where rendered PDFs are stored; defaults to DATA_DIR/reports. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  STORAGE_DIR?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  PUBLIC_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SMTP_HOST?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  SMTP_PORT = 587;

  @Transform(toBool)
  @IsBoolean()
  SMTP_SECURE = false;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SMTP_USER?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SMTP_PASSWORD?: string;

  @IsString()
  SMTP_FROM = 'Pilotage <reports@pilotage.local>';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(30)
  REPORT_SETTLE_DAYS = 3;

  /**
   * Hours after a week ends (midnight between Sunday and Monday, in each client's time zone)
   * before its WEEKLY report is generated, for the clients that opted in. 9: Monday 09:00 local,
   * ready for the week's channel review, once Sunday's ad figures have landed. At most 6 days
   * (see MAX_WEEKLY_SETTLE_HOURS): a week's report is due before the next week ends.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(144)
  REPORT_WEEKLY_SETTLE_HOURS = 9;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  LOGIN_MAX_ATTEMPTS = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  LOGIN_WINDOW_SECONDS = 900;

  /** statement_timeout of the API's tenant transactions: a request's statements are short (ms). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  STATEMENT_TIMEOUT_MS = 10_000;

  /** statement_timeout of the worker's tenant transactions (snapshots, scheduling; Chromium is not a statement). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  WORKER_STATEMENT_TIMEOUT_MS = 60_000;

  /** Largest serialized GraphQL response; a larger one is refused with RESPONSE_TOO_LARGE. */
  @Transform(toInt)
  @IsInt()
  @Min(65_536)
  @Max(512 * 1024 * 1024)
  RESPONSE_MAX_BYTES = 8 * 1024 * 1024;

  /**
   * Heavy operations (previews, report generation, costly analytics) one agency may run at once
   * (a third waits a second: TOO_MANY_REQUESTS, Retry-After 1). Two, not one: a double-click on
   * "generate the month's reports" is answered twice with the same batch, not refused.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  HEAVY_OPERATIONS_CONCURRENCY = 2;

  /**
   * Heavy operations the API process runs at once, all agencies together: agencies are free to
   * register, so the per-agency limit alone does not bound the work sharing one event loop (under
   * bench:abuse, 3 per agency let two agencies keep six interleaved with /health). One: under
   * bench:abuse /health's p99 was 117.9 ms with 2, 74.6 ms with 1 (2026-12-02, quiet machine).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  HEAVY_OPERATIONS_PROCESS_CONCURRENCY = 1;

  /**
   * Milliseconds a heavy operation waits for a process-wide slot before TOO_MANY_REQUESTS: a
   * preview or a batch started while another agency's runs waits its turn (a fraction of a
   * second) instead of failing. 0 refuses at once.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  HEAVY_OPERATIONS_PROCESS_WAIT_MS = 5_000;

  /** Heavy operations one agency may start per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  HEAVY_OPERATIONS_PER_MINUTE = 60;

  /**
   * Requests one API key may make per minute (GraphQL and imports alike); past it TOO_MANY_REQUESTS
   * (HTTP 429, Retry-After). Ten a second: an ETL pushing a day per client per request has room,
   * a leaked key in a loop does not get the process.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  API_KEY_REQUESTS_PER_MINUTE = 600;

  /** Keys an agency may hold at once (neither revoked nor expired): a bound on what a stolen owner session can mint. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  API_KEYS_PER_AGENCY = 50;

  /**
   * Keys that encrypt the platform tokens of data connections (AES-256-GCM), as
   * `id:base64key[,id:base64key...]`: each key 32 bytes in base64, the first one encrypts, all of
   * them decrypt (key rotation: put the new key first, keep the old ones until every connection
   * was re-encrypted by its next token refresh). Unset outside production: a key generated once
   * into DATA_DIR/connector-token.key, shared by the API and worker of one machine.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  CONNECTOR_TOKEN_KEYS?: string;

  /** Where the platforms send the user back after consent; default PUBLIC_URL/oauth/callback. Register it with each platform. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Matches(/^https?:\/\//, { message: 'OAUTH_REDIRECT_URL must be an http(s) URL' })
  OAUTH_REDIRECT_URL?: string;

  /** The agency's Google Cloud OAuth client (GA4, Google Ads and Search Console share it). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  GOOGLE_OAUTH_CLIENT_ID?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  GOOGLE_OAUTH_CLIENT_SECRET?: string;

  /** Google Ads API developer token (Google Ads API Center of the agency's manager account). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  GOOGLE_ADS_DEVELOPER_TOKEN?: string;

  /** The manager (MCC) account the agency reaches its clients' Google Ads accounts through (digits only), if any. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d{10}$/, { message: 'GOOGLE_ADS_LOGIN_CUSTOMER_ID must be 10 digits, without dashes' })
  GOOGLE_ADS_LOGIN_CUSTOMER_ID?: string;

  /** The agency's Meta app (developers.facebook.com), for the Marketing API. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  META_APP_ID?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  META_APP_SECRET?: string;

  /*
   * The platforms' base URLs. Production never sets them; tests point them at local fakes that
   * speak the same protocol on loopback, so the code under test is the production code.
   */
  @Matches(/^https?:\/\//)
  GOOGLE_ACCOUNTS_BASE_URL = 'https://accounts.google.com';

  @Matches(/^https?:\/\//)
  GOOGLE_OAUTH2_BASE_URL = 'https://oauth2.googleapis.com';

  @Matches(/^https?:\/\//)
  GA4_DATA_API_BASE_URL = 'https://analyticsdata.googleapis.com';

  @Matches(/^https?:\/\//)
  GOOGLE_ADS_API_BASE_URL = 'https://googleads.googleapis.com';

  @Matches(/^https?:\/\//)
  SEARCH_CONSOLE_API_BASE_URL = 'https://searchconsole.googleapis.com';

  @Matches(/^https?:\/\//)
  META_WEB_BASE_URL = 'https://www.facebook.com';

  @Matches(/^https?:\/\//)
  META_GRAPH_API_BASE_URL = 'https://graph.facebook.com';

  /** Months of history a new connection pulls (the platforms keep about 25 months at most). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(37)
  CONNECTOR_BACKFILL_MONTHS = 25;

  /** Sync jobs a worker runs at once (each mostly waits on a platform's API). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  CONNECTOR_SYNC_CONCURRENCY = 4;

  /** Hour of the day (client's time zone) from which the daily sync of yesterday is due. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(23)
  CONNECTOR_DAILY_SYNC_HOUR = 4;

  /** Days without a value, where values were coming every day, before a NO_DATA alert (NORMAL sensitivity). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  ALERT_NO_DATA_DAYS = 3;

  /** Seconds after an import or sync commit before its client's alerts are evaluated (imports within them are evaluated once). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  ALERT_EVALUATION_DEBOUNCE_SECONDS = 30;

  /** Local hour (agency's time zone: its owners') of the daily evaluation and digest e-mail. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(23)
  ALERT_DIGEST_HOUR = 8;

  /**
   * Days after a month ends (client's time zone) when its scheduled report is generated even if
   * its data is still incomplete, with a visible warning. Before it, a report waits for complete
   * coverage and REPORT_SETTLE_DAYS.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60)
  REPORT_READINESS_CAP_DAYS = 10;

  /** A restatement of a volume KPI (count, currency, duration) is recorded past this change, in % of the reported value. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100)
  RESTATEMENT_VOLUME_PERCENT = 2;

  /** A restatement of a rate KPI (percent, score) is recorded past this change, in hundredths of a point (50: 0.5 point). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  RESTATEMENT_RATE_CENTIPOINTS = 50;

  /** Webhook deliveries may go to private, loopback and link-local addresses (tests, an intranet). Off: refused (SSRF). */
  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_NETWORKS = false;

  /** Milliseconds a webhook receiver has to answer. */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Webhook endpoints an agency may hold. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_ENDPOINTS_PER_AGENCY = 20;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

/** The validated, typed configuration. Built once at boot by {@link loadAppConfig}. */
export interface AppConfig {
  readonly nodeEnv: 'development' | 'test' | 'production';
  readonly isProduction: boolean;
  readonly port: number;
  /** Null means: start the embedded PostgreSQL under {@link dataDir}. */
  readonly databaseUrl: string | null;
  /** The schema owner (migrations only); null: this process does not migrate (external database). */
  readonly databaseOwnerUrl: string | null;
  /** The worker's pg-boss role; null with the embedded PostgreSQL (it creates that role itself). */
  readonly databaseQueueUrl: string | null;
  readonly databasePoolSize: number;
  readonly migrationsRun: boolean;
  readonly embeddedPostgresPort: number;
  readonly dataDir: string;
  readonly jwtSecret: string;
  readonly jwtTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly accountTokenTtlSeconds: number;
  readonly sessionCheckCacheSeconds: number;
  /** Express's `trust proxy`: false (no proxy: the socket address is the client), a hop count, or the proxies' addresses. */
  readonly trustProxy: false | number | readonly string[];
  readonly downloadUrlSecret: string;
  readonly logLevel: string;
  readonly chromiumPath: string | null;
  readonly storageDir: string;
  readonly publicUrl: string;
  readonly smtp: {
    readonly host: string | null;
    readonly port: number;
    readonly secure: boolean;
    readonly user: string | null;
    readonly password: string | null;
    readonly from: string;
  };
  readonly reportSettleDays: number;
  /** Hours after a client's local Monday 00:00 before last week's WEEKLY report is due. */
  readonly reportWeeklySettleHours: number;
  readonly loginMaxAttempts: number;
  readonly loginWindowSeconds: number;
  /** Bounded work per request (see apps/api/src/common/query-limits). */
  readonly limits: {
    readonly apiStatementTimeoutMs: number;
    readonly workerStatementTimeoutMs: number;
    readonly responseMaxBytes: number;
    readonly heavyOperationsConcurrency: number;
    readonly heavyOperationsProcessConcurrency: number;
    readonly heavyOperationsProcessWaitMs: number;
    readonly heavyOperationsPerMinute: number;
    readonly apiKeyRequestsPerMinute: number;
    readonly apiKeysPerAgency: number;
  };
  /** Data connections to the ad and analytics platforms (libs/connectors). */
  readonly connectors: ConnectorConfig;
  /** Alerts, restatements, the readiness gate and outbound webhooks (#15). */
  readonly alerts: {
    readonly noDataDays: number;
    readonly evaluationDebounceSeconds: number;
    readonly digestHour: number;
    readonly readinessCapDays: number;
    /** Relative change of a volume KPI recorded as a restatement (0.02: 2 %). */
    readonly restatementVolumeRatio: number;
    /** Change of a rate KPI, in points, recorded as a restatement. */
    readonly restatementRatePoints: number;
  };
  readonly webhooks: {
    readonly allowPrivateNetworks: boolean;
    readonly timeoutMs: number;
    readonly endpointsPerAgency: number;
  };
}

/** An OAuth client registered with a platform; null members: not configured (connections to it are refused). */
export interface OAuthClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface ConnectorConfig {
  /** Encryption keys of the tokens, the first one current ({@link CONNECTOR_TOKEN_KEYS}). */
  readonly tokenKeys: readonly { readonly id: string; readonly key: Buffer }[];
  readonly redirectUrl: string;
  readonly google: OAuthClientCredentials | null;
  readonly googleAdsDeveloperToken: string | null;
  readonly googleAdsLoginCustomerId: string | null;
  readonly meta: OAuthClientCredentials | null;
  readonly baseUrls: {
    readonly googleAccounts: string;
    readonly googleOAuth2: string;
    readonly ga4DataApi: string;
    readonly googleAdsApi: string;
    readonly searchConsoleApi: string;
    readonly metaWeb: string;
    readonly metaGraphApi: string;
  };
  readonly backfillMonths: number;
  readonly syncConcurrency: number;
  readonly dailySyncHour: number;
}

const TRUST_PROXY_PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY as Express's `trust proxy`. `true` (trust any sender) is refused on purpose: it
 * lets every client choose its own address and so walk around the login limits.
 */
function parseTrustProxy(value: string | undefined, problems: string[]): false | number | string[] {
  if (value === undefined || value.trim() === '' || value.trim() === 'false') return false;
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 10) problems.push('TRUST_PROXY must be at most 10 hops');
    return hops === 0 ? false : hops;
  }
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const invalid = entries.filter((entry) => {
    if (TRUST_PROXY_PRESETS.has(entry)) return false;
    const [address = '', prefix, ...rest] = entry.split('/');
    if (rest.length > 0 || isIP(address) === 0) return true;
    return prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= (isIP(address) === 4 ? 32 : 128));
  });
  if (invalid.length > 0 || entries.length === 0) {
    problems.push(
      `TRUST_PROXY must be a hop count or a comma-separated list of proxy addresses/CIDRs (loopback, linklocal, uniquelocal allowed), not ${JSON.stringify(text)}`,
    );
  }
  return entries;
}

/**
 * Reads and validates the environment once. Fails fast with every problem, each naming its
 * variable. Secrets are mandatory in production; elsewhere a random per-process secret is
 * used so that a newcomer can start the app without configuring anything.
 */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = plainToInstance(Environment, { ...env }, { exposeDefaultValues: true });
  const errors = validateSync(parsed, { whitelist: false, forbidUnknownValues: false });
  const problems = errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) => (message.startsWith(error.property) ? message : `${error.property}: ${message}`)),
  );
  const isProduction = parsed.NODE_ENV === 'production';
  if (isProduction) {
    if (!parsed.DATABASE_URL) problems.push('DATABASE_URL is required in production');
    if (!parsed.JWT_SECRET) problems.push('JWT_SECRET is required in production');
    if (!parsed.DOWNLOAD_URL_SECRET) problems.push('DOWNLOAD_URL_SECRET is required in production');
  }
  const trustProxy = parseTrustProxy(parsed.TRUST_PROXY, problems);
  const dataDir = isAbsolute(parsed.DATA_DIR) ? parsed.DATA_DIR : resolve(process.cwd(), parsed.DATA_DIR);
  const tokenKeys = parsed.CONNECTOR_TOKEN_KEYS === undefined ? null : parseTokenKeys(parsed.CONNECTOR_TOKEN_KEYS, problems);
  if (isProduction && tokenKeys === null) problems.push('CONNECTOR_TOKEN_KEYS is required in production');
  const google = credentials(
    'GOOGLE_OAUTH_CLIENT_ID',
    parsed.GOOGLE_OAUTH_CLIENT_ID,
    'GOOGLE_OAUTH_CLIENT_SECRET',
    parsed.GOOGLE_OAUTH_CLIENT_SECRET,
    problems,
  );
  const meta = credentials('META_APP_ID', parsed.META_APP_ID, 'META_APP_SECRET', parsed.META_APP_SECRET, problems);
  if (problems.length > 0) throw new ConfigurationError(problems);
  const publicUrl = parsed.PUBLIC_URL ?? `http://localhost:${parsed.PORT}`;
  return {
    nodeEnv: parsed.NODE_ENV,
    isProduction,
    port: parsed.PORT,
    databaseUrl: parsed.DATABASE_URL ?? null,
    databaseOwnerUrl: parsed.DATABASE_OWNER_URL ?? null,
    databaseQueueUrl: parsed.DATABASE_QUEUE_URL ?? null,
    databasePoolSize: parsed.DATABASE_POOL_SIZE,
    migrationsRun: parsed.MIGRATIONS_RUN,
    embeddedPostgresPort: parsed.EMBEDDED_POSTGRES_PORT,
    dataDir,
    jwtSecret: parsed.JWT_SECRET ?? randomBytes(32).toString('hex'),
    jwtTtlSeconds: parsed.JWT_TTL_SECONDS,
    refreshTokenTtlSeconds: parsed.REFRESH_TOKEN_TTL_SECONDS,
    accountTokenTtlSeconds: parsed.ACCOUNT_TOKEN_TTL_SECONDS,
    sessionCheckCacheSeconds: parsed.SESSION_CHECK_CACHE_SECONDS,
    trustProxy,
    downloadUrlSecret: parsed.DOWNLOAD_URL_SECRET ?? randomBytes(32).toString('hex'),
    logLevel: parsed.LOG_LEVEL,
    chromiumPath: parsed.CHROMIUM_PATH ?? null,
    storageDir: parsed.STORAGE_DIR ? resolve(process.cwd(), parsed.STORAGE_DIR) : join(dataDir, 'reports'),
    publicUrl,
    smtp: {
      host: parsed.SMTP_HOST ?? null,
      port: parsed.SMTP_PORT,
      secure: parsed.SMTP_SECURE,
      user: parsed.SMTP_USER ?? null,
      password: parsed.SMTP_PASSWORD ?? null,
      from: parsed.SMTP_FROM,
    },
    reportSettleDays: parsed.REPORT_SETTLE_DAYS,
    reportWeeklySettleHours: parsed.REPORT_WEEKLY_SETTLE_HOURS,
    loginMaxAttempts: parsed.LOGIN_MAX_ATTEMPTS,
    loginWindowSeconds: parsed.LOGIN_WINDOW_SECONDS,
    limits: {
      apiStatementTimeoutMs: parsed.STATEMENT_TIMEOUT_MS,
      workerStatementTimeoutMs: parsed.WORKER_STATEMENT_TIMEOUT_MS,
      responseMaxBytes: parsed.RESPONSE_MAX_BYTES,
      heavyOperationsConcurrency: parsed.HEAVY_OPERATIONS_CONCURRENCY,
      heavyOperationsProcessConcurrency: parsed.HEAVY_OPERATIONS_PROCESS_CONCURRENCY,
      heavyOperationsProcessWaitMs: parsed.HEAVY_OPERATIONS_PROCESS_WAIT_MS,
      heavyOperationsPerMinute: parsed.HEAVY_OPERATIONS_PER_MINUTE,
      apiKeyRequestsPerMinute: parsed.API_KEY_REQUESTS_PER_MINUTE,
      apiKeysPerAgency: parsed.API_KEYS_PER_AGENCY,
    },
    connectors: {
      tokenKeys: tokenKeys ?? [developmentTokenKey(dataDir)],
      redirectUrl: parsed.OAUTH_REDIRECT_URL ?? `${publicUrl.replace(/\/+$/, '')}/oauth/callback`,
      google,
      googleAdsDeveloperToken: parsed.GOOGLE_ADS_DEVELOPER_TOKEN ?? null,
      googleAdsLoginCustomerId: parsed.GOOGLE_ADS_LOGIN_CUSTOMER_ID ?? null,
      meta,
      baseUrls: {
        googleAccounts: trimSlash(parsed.GOOGLE_ACCOUNTS_BASE_URL),
        googleOAuth2: trimSlash(parsed.GOOGLE_OAUTH2_BASE_URL),
        ga4DataApi: trimSlash(parsed.GA4_DATA_API_BASE_URL),
        googleAdsApi: trimSlash(parsed.GOOGLE_ADS_API_BASE_URL),
        searchConsoleApi: trimSlash(parsed.SEARCH_CONSOLE_API_BASE_URL),
        metaWeb: trimSlash(parsed.META_WEB_BASE_URL),
        metaGraphApi: trimSlash(parsed.META_GRAPH_API_BASE_URL),
      },
      backfillMonths: parsed.CONNECTOR_BACKFILL_MONTHS,
      syncConcurrency: parsed.CONNECTOR_SYNC_CONCURRENCY,
      dailySyncHour: parsed.CONNECTOR_DAILY_SYNC_HOUR,
    },
    alerts: {
      noDataDays: parsed.ALERT_NO_DATA_DAYS,
      evaluationDebounceSeconds: parsed.ALERT_EVALUATION_DEBOUNCE_SECONDS,
      digestHour: parsed.ALERT_DIGEST_HOUR,
      readinessCapDays: parsed.REPORT_READINESS_CAP_DAYS,
      restatementVolumeRatio: parsed.RESTATEMENT_VOLUME_PERCENT / 100,
      restatementRatePoints: parsed.RESTATEMENT_RATE_CENTIPOINTS / 100,
    },
    webhooks: {
      allowPrivateNetworks: parsed.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
      timeoutMs: parsed.WEBHOOK_TIMEOUT_MS,
      endpointsPerAgency: parsed.WEBHOOK_ENDPOINTS_PER_AGENCY,
    },
  };
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** Both halves of an OAuth client or neither: one without the other is a typo to report. */
function credentials(
  idName: string,
  id: string | undefined,
  secretName: string,
  secret: string | undefined,
  problems: string[],
): OAuthClientCredentials | null {
  if (id === undefined && secret === undefined) return null;
  if (id === undefined || secret === undefined) {
    problems.push(`${id === undefined ? idName : secretName} is required when ${id === undefined ? secretName : idName} is set`);
    return null;
  }
  return { clientId: id, clientSecret: secret };
}

/** CONNECTOR_TOKEN_KEYS: `id:base64[,id:base64]`, 32-byte keys, distinct ids. */
function parseTokenKeys(text: string, problems: string[]): { id: string; key: Buffer }[] | null {
  const keys: { id: string; key: Buffer }[] = [];
  for (const [index, entry] of text.split(',').entries()) {
    const match = /^\s*([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=]+)\s*$/.exec(entry);
    const key = match === null ? null : Buffer.from(match[2], 'base64');
    if (match === null || key === null || key.length !== 32) {
      problems.push(`CONNECTOR_TOKEN_KEYS entry ${index + 1} must be "id:<32 bytes in base64>" (e.g. openssl rand -base64 32)`);
      continue;
    }
    if (keys.some((known) => known.id === match[1])) problems.push(`CONNECTOR_TOKEN_KEYS names key "${match[1]}" twice`);
    keys.push({ id: match[1], key });
  }
  return keys.length === 0 ? null : keys;
}

/**
 * Outside production without CONNECTOR_TOKEN_KEYS: one key generated into DATA_DIR on first
 * use, so that the API (which stores the tokens) and the worker (which uses them) of a
 * newcomer's machine agree, and tokens survive a restart.
 */
function developmentTokenKey(dataDir: string): { id: string; key: Buffer } {
  const file = join(dataDir, 'connector-token.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      // Another process of the same machine created it first: use theirs.
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
  }
  return { id: 'dev', key: Buffer.from(readFileSync(file, 'utf8').trim(), 'base64') };
}

/** Nest injection token for {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * What the migrate step reads (`npm run migrate`, compose's `migrate` service): the owner's URL
 * only. It needs none of the API's secrets, and the API and worker never get this URL.
 */
export interface MigrationConfig {
  readonly databaseOwnerUrl: string;
}

export function loadMigrationConfig(env: NodeJS.ProcessEnv = process.env): MigrationConfig {
  const url = env.DATABASE_OWNER_URL;
  if (url === undefined || url === '') throw new ConfigurationError(['DATABASE_OWNER_URL is required by the migrate step']);
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigurationError(['DATABASE_OWNER_URL must be a postgres:// URL']);
  return { databaseOwnerUrl: url };
}
