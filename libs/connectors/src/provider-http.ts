import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimiterMemory, RateLimiterQueue } from 'rate-limiter-flexible';
import { ProviderError } from './provider-error';

/** How a platform may be called from one process: a request budget per window, queued (FIFO) rather than refused. */
export interface ProviderRateLimit {
  readonly requests: number;
  readonly perSeconds: number;
}

/** One HTTP call to a platform. */
export interface ProviderRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as application/x-www-form-urlencoded (OAuth token endpoints). */
  readonly form?: Readonly<Record<string, string>>;
}

/**
 * Turns a failed answer into the platform's own meaning when its status alone does not say it
 * (Meta throttles with HTTP 400 and an error code; Google says RESOURCE_EXHAUSTED). Null: use
 * the status (401 UNAUTHORIZED, 403 FORBIDDEN, 429 RATE_LIMITED, 5xx UNAVAILABLE, else REJECTED).
 * `headers` are the answer's (Meta says how long to wait in X-Business-Use-Case-Usage, not Retry-After).
 */
export type ProviderErrorClassifier = (status: number, body: unknown, retryAfterMs: number | null, headers?: Headers) => ProviderError | null;

export interface ProviderHttpOptions {
  /** Named in every error message ("Google Ads: ..."). */
  readonly platform: string;
  readonly rateLimit: ProviderRateLimit;
  readonly classify?: ProviderErrorClassifier;
  /** Attempts of one call on RATE_LIMITED and UNAVAILABLE answers, the first included. */
  readonly maxAttempts?: number;
  /**
   * The longest Retry-After this process waits for itself; a longer one fails the call as
   * RATE_LIMITED and the sync job is retried after it (pg-boss `startAfter`), freeing the worker.
   */
  readonly maxRetryAfterMs?: number;
  readonly timeoutMs?: number;
  /** First backoff of a 5xx without Retry-After, doubled each attempt (with jitter). */
  readonly backoffMs?: number;
}

const DEFAULTS = { maxAttempts: 5, maxRetryAfterMs: 60_000, timeoutMs: 30_000, backoffMs: 500 };
const MAX_MESSAGE_LENGTH = 300;

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), in ms from now; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The platform's own short error message from a JSON error body (Google's and Meta's shapes), trimmed. */
export function platformMessage(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const error: unknown = 'error' in body ? body.error : null;
  let message: unknown = null;
  if (typeof error === 'string') message = 'error_description' in body && typeof body.error_description === 'string' ? body.error_description : error;
  else if (typeof error === 'object' && error !== null && 'message' in error) message = error.message;
  if (typeof message !== 'string' || message.trim() === '') return null;
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_MESSAGE_LENGTH ? `${oneLine.slice(0, MAX_MESSAGE_LENGTH)}…` : oneLine;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The one way the connectors call a platform: queued behind the platform's rate limit, with a
 * timeout, retried on 429 and 5xx (waiting what Retry-After asks, else an exponential backoff
 * with jitter), failed with a {@link ProviderError} that says what happened in words. URLs and
 * bodies are never put in errors: Meta's Graph API carries the access token in the query.
 */
export class ProviderHttp {
  private readonly queue: RateLimiterQueue;
  private readonly settings: typeof DEFAULTS;

  constructor(private readonly options: ProviderHttpOptions) {
    const limiter = new RateLimiterMemory({ points: options.rateLimit.requests, duration: options.rateLimit.perSeconds });
    this.queue = new RateLimiterQueue(limiter, { maxQueueSize: 10_000 });
    this.settings = { ...DEFAULTS, ...options };
  }

  /** Sends the call and returns its JSON body; retries transient failures, throws ProviderError otherwise. */
  async json(request: ProviderRequest): Promise<unknown> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.once(request);
      } catch (error) {
        if (!(error instanceof ProviderError) || !error.transient || attempt >= this.settings.maxAttempts) throw error;
        const wait = error.retryAfterMs ?? this.settings.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random());
        if (wait > this.settings.maxRetryAfterMs) throw error;
        await sleep(wait);
      }
    }
  }

  private async once(request: ProviderRequest): Promise<unknown> {
    const { platform } = this.options;
    await this.queue.removeTokens(1);
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams({ ...request.form }).toString();
    }
    let response: Response;
    try {
      response = await fetch(request.url, { method: request.method, headers, body, signal: AbortSignal.timeout(this.settings.timeoutMs) });
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${this.settings.timeoutMs / 1000} s` : 'connection failed';
      throw new ProviderError('UNAVAILABLE', `${platform}: ${reason}`);
    }
    const parsed = await readBody(response);
    if (response.ok) {
      // An empty 200 (Google's revoke endpoint) is an answer with nothing in it.
      if (parsed === null) return {};
      if (typeof parsed !== 'object' || parsed === null) throw new ProviderError('INVALID_RESPONSE', `${platform}: the answer is not JSON`, response.status);
      return parsed;
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    const classified = this.options.classify?.(response.status, parsed, retryAfterMs, response.headers);
    if (classified) throw classified;
    const said = platformMessage(parsed);
    const message = `${platform}: HTTP ${response.status}${said === null ? '' : ` (${said})`}`;
    if (response.status === 401) throw new ProviderError('UNAUTHORIZED', message, 401);
    if (response.status === 403) throw new ProviderError('FORBIDDEN', message, 403);
    if (response.status === 429) throw new ProviderError('RATE_LIMITED', message, 429, retryAfterMs);
    if (response.status >= 500) throw new ProviderError('UNAVAILABLE', message, response.status, retryAfterMs);
    throw new ProviderError('REJECTED', message, response.status);
  }
}
