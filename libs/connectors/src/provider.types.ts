import type { ConnectorConfig } from '@pilotage/config';
import type { DataProvider } from '@pilotage/database';
import type { Channel } from '@pilotage/kpi';
import type { ProviderHttp } from './provider-http';

/** The tokens of a connection, as they are sealed together (TokenCipher) in its row. */
export interface ConnectionTokens {
  readonly accessToken: string;
  /** Null for platforms without refresh tokens (Meta: a long-lived token, reauthorized before it expires). */
  readonly refreshToken: string | null;
  /** When the access token expires; null: the platform did not say. */
  readonly expiresAt: Date | null;
  readonly scopes: readonly string[];
}

/** What the user is sent to, and what must be kept to finish the flow. */
export interface AuthorizationRequest {
  /** The platform's consent page with our client id, scopes, redirect URL, `state` and PKCE challenge. */
  readonly url: string;
}

/**
 * A platform's OAuth 2.0 authorization code flow with PKCE (RFC 7636, S256) and `state`
 * (RFC 6749 §10.12). One implementation per identity provider: Google's serves GA4, Google Ads
 * and Search Console; Meta's serves Meta Ads.
 */
export interface OAuthFlavor {
  /** Whether the agency configured this platform's OAuth client (else connections to it are refused). */
  readonly configured: boolean;
  authorizationUrl(input: { readonly state: string; readonly codeChallenge: string; readonly scopes: readonly string[] }): string;
  /** Exchanges the code the platform sent back; UNAUTHORIZED ProviderError when it refuses it. */
  exchangeCode(input: { readonly code: string; readonly codeVerifier: string }): Promise<ConnectionTokens>;
  /** New tokens before the access token expires; UNAUTHORIZED ProviderError when the grant was revoked. */
  refresh(tokens: ConnectionTokens): Promise<ConnectionTokens>;
  /** Revokes the grant at the platform (best effort: the caller deletes the tokens anyway). */
  revoke(tokens: ConnectionTokens): Promise<void>;
}

/** Inclusive range of calendar days, `YYYY-MM-DD`, in the platform account's own time zone. */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

/**
 * One value a platform reported: an additive raw count of a catalog metric for a day, channel
 * and campaign ('' for none). Never a platform's own ratio (CTR, ROAS, bounce rate, average
 * position): KPIs are computed from the counts, as ratios of sums.
 */
export interface PulledValue {
  readonly metricKey: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly channel: Channel;
  readonly campaign: string;
  /** Normalized decimal text (no exponent, '.' as the mark, at most 4 decimals). */
  readonly valueText: string;
}

/** What one pull of a day range needs. */
export interface PullRequest {
  readonly accountId: string;
  readonly accessToken: string;
  readonly range: DayRange;
}

/** What one pull returned: every value of the range (complete: what it omits is removed from the window). */
export interface PullResult {
  readonly values: readonly PulledValue[];
  /** Platform requests the pull made (pages included), for the run's record and the benchmark. */
  readonly requests: number;
}

/**
 * A platform the sync engine pulls from. Implementations use only the platform's documented API
 * through {@link ProviderHttp} and their base URL from the configuration.
 */
export interface DataProviderConnector {
  readonly provider: DataProvider;
  /** The platform's name in messages and in the values' source ("Google Ads"). */
  readonly platform: string;
  readonly oauth: OAuthFlavor;
  /** The OAuth scopes this provider asks for (read-only ones). */
  readonly scopes: readonly string[];
  /** The catalog metrics it writes. */
  readonly metricKeys: readonly string[];
  /** Days before yesterday the daily sync re-pulls, because the platform restates them. */
  readonly lookbackDays: number;
  /** Days one pull may cover (a backfill is cut into chunks of this size). */
  readonly chunkDays: number;
  /** Attribution or data-freshness choice made for the agency, in words (shown on the connection), or null. */
  readonly dataNote: string | null;
  readonly http: ProviderHttp;
  /**
   * The account id as the platform names it (digits for a GA4 property, 10 digits without dashes
   * for a Google Ads customer, `act_<digits>` for Meta, `sc-domain:` or a URL prefix for Search
   * Console), or a message saying what is expected.
   */
  normalizeAccountId(input: string): { readonly accountId: string } | { readonly problem: string };
  /** `metric_values.source` of the account's values ("Google Ads 1234567890"). */
  sourceOf(accountId: string): string;
  pull(request: PullRequest): Promise<PullResult>;
}

/** Builds a provider from the configuration (base URLs, credentials). */
export type DataProviderFactory = (config: ConnectorConfig) => DataProviderConnector;
