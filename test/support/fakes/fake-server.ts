import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trackUntilClosed } from '../test-resources';

/** A request as a fake platform sees it. */
export interface FakeRequest {
  readonly method: string;
  /** Path and query, with the fake's prefix removed (`/v1beta/properties/1:runReport`). */
  readonly url: URL;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The raw body; see {@link jsonBody} and {@link formBody}. */
  readonly body: string;
}

/** What a fake answers. */
export interface FakeResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialized as JSON unless it is a string. */
  readonly body?: unknown;
}

/** A fake platform mounted under a path prefix of the shared loopback server. Null: not its route (404). */
export interface FakePlatform {
  handle(request: FakeRequest): FakeResponse | null | Promise<FakeResponse | null>;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse => ({ status, body, headers });

export function jsonBody(request: FakeRequest): unknown {
  return request.body === '' ? null : JSON.parse(request.body);
}

export function formBody(request: FakeRequest): URLSearchParams {
  return new URLSearchParams(request.body);
}

/** The bearer token of a request, or null. */
export function bearerOf(request: FakeRequest): string | null {
  const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
  return match === null ? null : match[1];
}

/**
 * Failures a test asks a fake to give before it answers normally again, in order: "the next
 * 3 data calls answer 429 with Retry-After: 1", "the next call answers 503".
 */
export class FailurePlan {
  private readonly planned: FakeResponse[] = [];
  /** Every failure given so far (tests assert the client retried past them). */
  given = 0;

  add(response: FakeResponse, times = 1): void {
    for (let index = 0; index < times; index += 1) this.planned.push(response);
  }

  /** The next planned failure, taken out of the plan; null when none is left. */
  take(): FakeResponse | null {
    const next = this.planned.shift() ?? null;
    if (next !== null) this.given += 1;
    return next;
  }

  clear(): void {
    this.planned.length = 0;
  }
}

export interface RunningFakes {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Every request received, in order (path without prefix, for assertions). */
  readonly requests: { readonly prefix: string; readonly method: string; readonly path: string }[];
  close(): Promise<void>;
}

async function readAll(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, answer: FakeResponse): void {
  const isText = typeof answer.body === 'string';
  const payload = answer.body === undefined ? '' : isText ? String(answer.body) : JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    ...(answer.body === undefined ? {} : { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8' }),
    ...answer.headers,
  });
  response.end(payload);
}

/**
 * One HTTP server on loopback serving fake platforms under prefixes (`/google-oauth2`, `/ga4`,
 * ...): the configuration's base URLs point at `origin + prefix`, and the production code runs
 * unchanged against it. Closed with the test file (tracked like the apps).
 */
export async function startFakePlatforms(platforms: Readonly<Record<string, FakePlatform>>): Promise<RunningFakes> {
  const requests: { prefix: string; method: string; path: string }[] = [];
  const prefixes = Object.keys(platforms).sort((a, b) => b.length - a.length);
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const prefix = prefixes.find((candidate) => url.pathname === candidate || url.pathname.startsWith(`${candidate}/`));
      if (prefix === undefined) return send(response, json(404, { error: { code: 404, message: 'no fake platform here' } }));
      const body = await readAll(request);
      const inner = new URL(url.pathname.slice(prefix.length) + url.search, 'http://127.0.0.1');
      requests.push({ prefix, method: request.method ?? 'GET', path: inner.pathname });
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      const answer = await platforms[prefix].handle({ method: request.method ?? 'GET', url: inner, headers, body });
      send(response, answer ?? json(404, { error: { code: 404, message: `no route ${request.method} ${inner.pathname}` } }));
    })().catch((error: unknown) => send(response, json(500, { error: { code: 500, message: error instanceof Error ? error.message : 'fake failed' } })));
  });
  const listening = new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = trackUntilClosed(
    listening,
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of fetch's pool would hold close() open until they time out.
        server.closeAllConnections();
      }),
  );
  await listening;
  server.keepAliveTimeout = 1000;
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, requests, close };
}
