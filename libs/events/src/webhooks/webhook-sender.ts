import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isBlockedAddress } from './webhook-address';

/** What one POST to a receiver gave. `statusCode` null: no answer (refused address, DNS, timeout, connection). */
export interface WebhookAttempt {
  readonly ok: boolean;
  readonly statusCode: number | null;
  readonly durationMs: number;
  /** Why it is not a success, short and without the response body beyond a trimmed snippet. */
  readonly error: string | null;
}

export interface WebhookPost {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly allowPrivateNetworks: boolean;
}

/** Characters of a failed response's body kept in the delivery log: enough to read a receiver's error, not to store its pages. */
const SNIPPET_CHARS = 200;
/** Bytes of a response read at most (the rest is discarded): a receiver cannot make us buffer a large answer. */
const MAX_RESPONSE_BYTES = 4096;

export class BlockedAddressError extends Error {
  constructor(host: string) {
    super(`${host} resolves to a private, loopback or link-local address, which webhooks may not reach`);
    this.name = 'BlockedAddressError';
  }
}

/**
 * Resolves the host (every address, A and AAAA) and refuses it if ANY address is blocked; the
 * connection then uses the addresses checked here, so a DNS answer cannot change between the
 * check and the connection (rebinding).
 */
function guardedLookup(allowPrivateNetworks: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      if (!allowPrivateNetworks && (addresses.length === 0 || addresses.some(({ address }) => isBlockedAddress(address)))) {
        return callback(new BlockedAddressError(hostname), '', 0);
      }
      // Node asks for every address when it tries families in turn (autoSelectFamily), one otherwise.
      if (options.all === true) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * POSTs `body` once. No redirect is followed (node:http never does; a 3xx is a failure saying
 * so), the whole exchange is bounded by `timeoutMs`, and only a trimmed snippet of a failing
 * response's body is kept.
 */
export async function postWebhook(post: WebhookPost): Promise<WebhookAttempt> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(post.url);
  } catch {
    return { ok: false, statusCode: null, durationMs: elapsed(), error: 'the endpoint URL is not a valid URL' };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // An IP literal is connected to without a lookup: checked here.
  if (isIP(host) !== 0 && !post.allowPrivateNetworks && isBlockedAddress(host)) {
    return { ok: false, statusCode: null, durationMs: elapsed(), error: new BlockedAddressError(host).message };
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<WebhookAttempt>((resolve) => {
    let settled = false;
    const finish = (attempt: Omit<WebhookAttempt, 'durationMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...attempt, durationMs: elapsed() });
    };
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(post.body).toString(),
          'user-agent': 'Pilotage-Webhooks/1.0',
          ...post.headers,
        },
        lookup: guardedLookup(post.allowPrivateNetworks),
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('error', () => finish({ ok: false, statusCode: response.statusCode ?? null, error: 'the response was cut off' }));
        response.on('end', () => {
          const statusCode = response.statusCode ?? null;
          if (statusCode !== null && statusCode >= 200 && statusCode < 300) return finish({ ok: true, statusCode, error: null });
          const snippet = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, SNIPPET_CHARS);
          const redirect = statusCode !== null && statusCode >= 300 && statusCode < 400 ? ' (redirects are not followed)' : '';
          finish({ ok: false, statusCode, error: `HTTP ${statusCode ?? '?'}${redirect}${snippet === '' ? '' : `: ${snippet}`}` });
        });
      },
    );
    const timer = setTimeout(() => {
      finish({ ok: false, statusCode: null, error: `no answer within ${post.timeoutMs} ms` });
      req.destroy();
    }, post.timeoutMs);
    req.on('error', (error) =>
      finish({ ok: false, statusCode: null, error: error instanceof BlockedAddressError ? error.message : `connection failed (${errorCode(error)})` }),
    );
    req.end(post.body);
  });
}

/** The system error code only (ECONNREFUSED, ENOTFOUND...): a message could quote more than we want logged. */
function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.name : 'unknown error';
}
