import type { IncomingMessage } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/**
 * JSON body limit of `POST /graphql`. A `recordMetricValues` call of the documented 10,000
 * values, each with a 60-character custom metric key, a 16-digit value with 4 decimals, a
 * 100-character source and a granularity, is 2.6 MB as compact JSON and 3.4 MB pretty-printed
 * with two-space indents (measured by test/security/bad-input.e2e-spec.ts); 4 MiB leaves room
 * for the operation text and accented sources while still bounding what one request parses.
 */
export const GRAPHQL_JSON_LIMIT_BYTES = 4 * 1024 * 1024;
/** Every other route: login forms and the like. CSV uploads are streams, never parsed as a body. */
export const DEFAULT_BODY_LIMIT_BYTES = 100 * 1024;

interface BodyParserError {
  readonly type: string;
  readonly status: number;
  readonly limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' && error !== null && 'type' in error && typeof error.type === 'string' && 'status' in error && typeof error.status === 'number'
  );
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;
}

/**
 * Nest's default parsers apply one 100 KiB limit everywhere; the GraphQL route needs more (see
 * {@link GRAPHQL_JSON_LIMIT_BYTES}) and nothing else does. Call with Nest's `bodyParser: false`,
 * before the app is initialised. A body over the limit gets a 413 that says the limit, shaped as
 * a GraphQL error on `/graphql` and as our `{ code, message }` elsewhere, instead of Express's page.
 */
export function installBodyParsers(app: NestExpressApplication, graphqlPath: string): void {
  const isGraphqlJson = (req: IncomingMessage): boolean =>
    (req.url ?? '').split('?')[0] === graphqlPath && /^application\/json\b/i.test(req.headers['content-type'] ?? '');
  app.useBodyParser('json', { limit: GRAPHQL_JSON_LIMIT_BYTES, type: isGraphqlJson });
  // A body the GraphQL parser already read is skipped by these (body-parser sees it consumed).
  app.useBodyParser('json', { limit: DEFAULT_BODY_LIMIT_BYTES });
  app.useBodyParser('urlencoded', { limit: DEFAULT_BODY_LIMIT_BYTES, extended: true });
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!isBodyParserError(error) || error.type !== 'entity.too.large') {
      next(error);
      return;
    }
    const isGraphql = req.originalUrl.split('?')[0] === graphqlPath;
    const limit = error.limit ?? (isGraphql ? GRAPHQL_JSON_LIMIT_BYTES : DEFAULT_BODY_LIMIT_BYTES);
    const message = `The request body is larger than the ${megabytes(limit)} limit of ${isGraphql ? graphqlPath : 'this route'}`;
    const extensions = { code: 'PAYLOAD_TOO_LARGE', limitBytes: limit };
    res.status(413).json(isGraphql ? { errors: [{ message, extensions }] } : { ...extensions, message });
  });
}
