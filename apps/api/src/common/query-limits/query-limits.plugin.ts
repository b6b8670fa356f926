// @nestjs/apollo is typed against @apollo/server's ESM declarations: use the same ones.
import type { ApolloServerPlugin } from '@apollo/server' with { 'resolution-mode': 'import' };
import { GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { AppError, ErrorCode, LimitExceededError } from '@pilotage/common';
import type { GraphqlContext } from '../graphql-context';
import { HeavyOperationLimiter, type HeavyOperationLimits, type HeavyOperationRelease } from './heavy-operation.limiter';
import { fieldWeight, HEAVY_OPERATION_COST, MAX_OPERATION_COST, MAX_PREVIEWS_PER_OPERATION } from './query-cost';

export const MAX_QUERY_DEPTH = 10;

/** Refuses queries nested deeper than {@link MAX_QUERY_DEPTH} (a validation rule). */
export const depthLimitRule = depthLimit(MAX_QUERY_DEPTH) as ValidationRule;

/**
 * Bounds the work of each GraphQL operation before any resolver runs, once the operation and its
 * variables are known (`didResolveOperation`; its shape — aliases, root fields, fields — was
 * bounded before validation by QueryShapeMiddleware):
 * 1. the ceilings of some arguments (a series' span and KPIs: BAD_USER_INPUT naming the argument);
 * 2. its previews (TOO_MANY_PREVIEWS past {@link MAX_PREVIEWS_PER_OPERATION}, with `previews` and `maximum`);
 * 3. its weighted cost, every field counted (QUERY_TOO_COSTLY with `cost` and `maximum`);
 * 4. when heavy (by its cost, or holding a preview), its agency's and the process's concurrency
 *    and its agency's rate limit (TOO_MANY_REQUESTS with `limit`, `maximum`, `retryAfterSeconds`
 *    and a Retry-After header); the slot is given back when the response is sent.
 * Refusals answer 400 (429 for the rate limits), never 500.
 */
export function queryLimitsPlugin(schemaOf: () => GraphQLSchema, heavyLimits: HeavyOperationLimits): ApolloServerPlugin<GraphqlContext> {
  const limiter = new HeavyOperationLimiter(heavyLimits);
  return {
    async requestDidStart() {
      let release: HeavyOperationRelease | null = null;
      return {
        async didResolveOperation({ request, document, operation, contextValue }) {
          // Apollo refuses a document without the requested operation before this hook.
          if (!operation) return;
          let cost: number;
          let previews = 0;
          try {
            cost = getComplexity({
              schema: schemaOf(),
              operationName: request.operationName,
              query: document,
              variables: request.variables ?? {},
              estimators: [
                // Counts the previews on the way (every field reaches the estimators), weighing nothing.
                ({ type, field }) => {
                  if (type.name === 'Query' && field.name === 'reportPreview') previews += 1;
                  return undefined;
                },
                fieldExtensionsEstimator(),
                ({ type, field, args, childComplexity }) => fieldWeight(type.name, field.name, args, childComplexity),
                simpleEstimator({ defaultComplexity: 1 }),
              ],
            });
          } catch (error) {
            // An argument over its ceiling (thrown by a field's weight).
            if (error instanceof AppError) throw refusal(error);
            // Estimating needs the variables: when they are invalid, execution rejects them
            // next with every problem listed (BAD_USER_INPUT); nothing runs meanwhile.
            return;
          }
          if (previews > MAX_PREVIEWS_PER_OPERATION) {
            throw refusal(
              limitExceeded(
                ErrorCode.TOO_MANY_PREVIEWS,
                `An operation may hold at most ${MAX_PREVIEWS_PER_OPERATION} report preview; this one holds ${previews}`,
                { previews, maximum: MAX_PREVIEWS_PER_OPERATION },
              ),
            );
          }
          if (cost > MAX_OPERATION_COST) {
            throw refusal(
              limitExceeded(
                ErrorCode.QUERY_TOO_COSTLY,
                `This operation would cost ${cost}, more than the ${MAX_OPERATION_COST} one operation may cost; ask for fewer KPIs, periods, aliases or previews`,
                { cost, maximum: MAX_OPERATION_COST },
              ),
            );
          }
          const agencyId = contextValue.req.principal?.agencyId;
          // Anonymous heavy operations are refused by the guard before they run anything.
          if ((cost >= HEAVY_OPERATION_COST || previews > 0) && agencyId) {
            try {
              release = await limiter.acquire(agencyId);
            } catch (error) {
              if (error instanceof AppError) throw refusal(error);
              throw error;
            }
          }
        },
        async willSendResponse() {
          const giveBack = release;
          release = null;
          if (giveBack) await giveBack();
        },
      };
    },
  };
}

/**
 * A refusal thrown before execution: a GraphQLError carrying our coded error (format-graphql-error
 * maps it like any AppError) and the HTTP status Apollo answers with (its default there is 500).
 * Without stack traces: a refusal is an expected answer, logged without one, and an attacker has
 * the API refuse thousands a minute; capturing and formatting the two stacks took ~0.5 ms of the
 * event loop per refusal under bench:abuse.
 */
function refusal(error: AppError): GraphQLError {
  const tooMany = error.code === ErrorCode.TOO_MANY_REQUESTS;
  const retryAfter = error.details.retryAfterSeconds;
  const headers = new Map<string, string>();
  if (tooMany && typeof retryAfter === 'number') headers.set('retry-after', String(retryAfter));
  // Written before GraphQLError reads it: V8 then never formats the frames it captured.
  error.stack = `${error.name}: ${error.message}`;
  return withoutStackTrace(
    () => new GraphQLError(error.message, { originalError: error, extensions: { code: error.code, http: { status: tooMany ? 429 : 400, headers } } }),
  );
}

function limitExceeded(...args: ConstructorParameters<typeof LimitExceededError>): LimitExceededError {
  return withoutStackTrace(() => new LimitExceededError(...args));
}

/** Runs `make` (synchronous) with V8 capturing no stack frames for the errors it creates. */
function withoutStackTrace<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
