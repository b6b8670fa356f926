import { ProviderError } from '../provider-error';
import { platformMessage, type ProviderErrorClassifier } from '../provider-http';

/**
 * The Graph API (and Marketing API) version every Meta call names, one constant so that an
 * upgrade is one line. v27.0 was released on 4 November 2026 (Marketing API version history,
 * developers.facebook.com/documentation/ads-commerce/marketing-api/marketing-api-changelog/versions);
 * a Marketing API version is served for about a year after its successor ships.
 */
export const META_GRAPH_API_VERSION = 'v27.0';

/**
 * Meta's throttling codes (Graph API "Error Handling" and Marketing API "Rate Limiting"): 4 app
 * limit, 17 user limit, 32 page limit, 613 "too many calls from this ad account", 80000–80014
 * Business Use Case limits (80000 ads insights, 80004 ads management, ...). Meta answers them
 * with HTTP 400 (sometimes 403), so the status alone would call them REJECTED.
 */
export function isMetaThrottlingCode(code: number): boolean {
  return code === 4 || code === 17 || code === 32 || code === 613 || (code >= 80000 && code <= 80014);
}

/** The `error` object of a Graph API error body: `{ error: { message, type, code, error_subcode, is_transient, fbtrace_id } }`. */
export interface MetaGraphError {
  readonly code: number;
  readonly type: string | null;
  readonly isTransient: boolean;
}

export function metaGraphErrorOf(body: unknown): MetaGraphError | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const error = body.error;
  if (typeof error !== 'object' || error === null || !('code' in error) || typeof error.code !== 'number') return null;
  return {
    code: error.code,
    type: 'type' in error && typeof error.type === 'string' ? error.type : null,
    isTransient: 'is_transient' in error && error.is_transient === true,
  };
}

/**
 * How long Meta asks to wait, from X-Business-Use-Case-Usage: `{"<business id>": [{"type":
 * "ads_insights", "call_count": 98, "total_cputime": 20, "total_time": 30,
 * "estimated_time_to_regain_access": 12}]}`, the last in MINUTES (Marketing API "Rate Limiting",
 * "Business Use Case Rate Limits"). The longest wait of every entry; null when absent, zero or unreadable.
 */
export function businessUseCaseWaitMs(header: string | null): number | null {
  if (header === null || header.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  let minutes = 0;
  for (const entries of Object.values(parsed)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as unknown[]) {
      if (typeof entry !== 'object' || entry === null || !('estimated_time_to_regain_access' in entry)) continue;
      const value = entry.estimated_time_to_regain_access;
      if (typeof value === 'number' && Number.isFinite(value)) minutes = Math.max(minutes, value);
    }
  }
  return minutes > 0 ? minutes * 60_000 : null;
}

/**
 * Meta's error codes in the sync engine's terms (Graph API "Error Handling"): 190 invalid or
 * expired token → UNAUTHORIZED; 10 and 200–299 permission errors → FORBIDDEN; throttling →
 * RATE_LIMITED after X-Business-Use-Case-Usage's wait, else Retry-After; `is_transient` →
 * UNAVAILABLE. Null: the status decides (5xx UNAVAILABLE, other 4xx REJECTED).
 */
export function metaGraphClassifier(platform: string): ProviderErrorClassifier {
  return (status, body, retryAfterMs, headers) => {
    const error = metaGraphErrorOf(body);
    if (error === null) return null;
    const said = platformMessage(body);
    const detail = said === null ? '' : ` (${said})`;
    if (error.code === 190) {
      return new ProviderError('UNAUTHORIZED', `${platform}: the access token expired or was revoked${detail}: reconnect the ad account`, status);
    }
    if (isMetaThrottlingCode(error.code)) {
      const wait = businessUseCaseWaitMs(headers?.get('x-business-use-case-usage') ?? null) ?? retryAfterMs;
      return new ProviderError('RATE_LIMITED', `${platform}: Meta is throttling the calls (code ${error.code})${detail}`, status, wait);
    }
    if (error.code === 10 || (error.code >= 200 && error.code <= 299)) {
      return new ProviderError(
        'FORBIDDEN',
        `${platform}: permission denied (code ${error.code})${detail}: reconnect with a user who can read the ad account's reports`,
        status,
      );
    }
    if (error.isTransient) return new ProviderError('UNAVAILABLE', `${platform}: temporary error (code ${error.code})${detail}`, status, retryAfterMs);
    return null;
  };
}

/** Graph API calls carry the token as an OAuth 2.0 bearer header (RFC 6750 §2.1), never in the URL where proxies log it. */
export function metaBearer(accessToken: string): Record<string, string> {
  return { authorization: `Bearer ${accessToken}` };
}
