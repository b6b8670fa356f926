import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { getOperationAST, GraphQLError, parse, type DocumentNode } from 'graphql';
import { ErrorCode, LimitExceededError } from '@pilotage/common';
import { measureOperation, type OperationShape } from './operation-shape';
import { MAX_ALIASES_PER_OPERATION, MAX_FIELDS_PER_OPERATION, MAX_ROOT_FIELDS_PER_OPERATION, MAX_TOKENS_PER_DOCUMENT } from './query-cost';

/**
 * Refuses a GraphQL document over the shape bounds (tokens, aliases, root fields, fields) BEFORE Apollo
 * validates it: GraphQL's validation costs time quadratic in the fields sharing a response name
 * (1,000 aliases of scorecard took 0.4 s of a core to validate, 1,000 repeats of it 1.7 s), and
 * Apollo has no hook before validation that may refuse a request (an error thrown there is an
 * HTTP 500). Parsing twice costs far less: linear, and stopped after {@link MAX_TOKENS_PER_DOCUMENT}
 * tokens. Registered before authentication: a hostile document costs no token check nor session read.
 * Anything it cannot read (no query, a syntax error, no such operation) goes on to Apollo, which
 * says so in its own words.
 */
@Injectable()
export class QueryShapeMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const { query, operationName } = graphqlRequestOf(req);
    if (query === null) return next();
    let document: DocumentNode;
    let refusal: LimitExceededError | null;
    try {
      document = parse(query, { noLocation: true, maxTokens: MAX_TOKENS_PER_DOCUMENT });
      const operation = getOperationAST(document, operationName);
      refusal = operation ? shapeRefusal(measureOperation(document, operation)) : null;
    } catch (error) {
      if (!isTokenLimit(error)) return next();
      refusal = new LimitExceededError(
        ErrorCode.TOO_MANY_TOKENS,
        `A GraphQL document may hold at most ${MAX_TOKENS_PER_DOCUMENT} tokens; pass values as variables, ask for fewer fields`,
        { maximum: MAX_TOKENS_PER_DOCUMENT },
      );
    }
    if (!refusal) return next();
    res.status(400).json({ errors: [{ message: refusal.message, extensions: { code: refusal.code, ...refusal.details } }] });
  }
}

/**
 * graphql's parser says it stopped at `maxTokens` only in its message: "Document contains more
 * that N tokens" in graphql 16 (sic), "more than" should it be corrected.
 */
function isTokenLimit(error: unknown): boolean {
  return error instanceof GraphQLError && /contains more th[ae][nt] \d+ tokens/.test(error.message);
}

function graphqlRequestOf(req: Request): { query: string | null; operationName: string | undefined } {
  const source: unknown = req.method === 'GET' ? req.query : req.body;
  if (typeof source !== 'object' || source === null) return { query: null, operationName: undefined };
  const query = 'query' in source && typeof source.query === 'string' ? source.query : null;
  const operationName = 'operationName' in source && typeof source.operationName === 'string' ? source.operationName : undefined;
  return { query, operationName };
}

/** The first shape bound the operation is over, as the coded error the API answers with; null when within all. */
export function shapeRefusal(shape: OperationShape): LimitExceededError | null {
  const bounds = [
    { code: ErrorCode.TOO_MANY_ALIASES, figure: 'aliases', what: 'aliases', count: shape.aliases, maximum: MAX_ALIASES_PER_OPERATION },
    { code: ErrorCode.TOO_MANY_ROOT_FIELDS, figure: 'rootFields', what: 'root fields', count: shape.rootFields, maximum: MAX_ROOT_FIELDS_PER_OPERATION },
    { code: ErrorCode.TOO_MANY_FIELDS, figure: 'fields', what: 'fields', count: shape.fields, maximum: MAX_FIELDS_PER_OPERATION },
  ] as const;
  const over = bounds.find(({ count, maximum }) => count > maximum);
  if (!over) return null;
  return new LimitExceededError(over.code, `An operation may hold at most ${over.maximum} ${over.what}; this one holds ${over.count}`, {
    [over.figure]: over.count,
    maximum: over.maximum,
  });
}
