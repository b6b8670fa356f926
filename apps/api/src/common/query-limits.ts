// @nestjs/apollo is typed against @apollo/server's ESM declarations: use the same ones.
import type { ApolloServerPlugin } from '@apollo/server' with { 'resolution-mode': 'import' };
import { GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import depthLimit from 'graphql-depth-limit';
import { MAX_PAGE_SIZE } from './pagination';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

export const MAX_QUERY_DEPTH = 10;
export const MAX_QUERY_COMPLEXITY = 5_000;

/** Refuses queries nested deeper than {@link MAX_QUERY_DEPTH} (a validation rule). */
export const depthLimitRule = depthLimit(MAX_QUERY_DEPTH) as ValidationRule;

/**
 * Refuses operations whose estimated cost exceeds {@link MAX_QUERY_COMPLEXITY}. List fields
 * multiply by their `first` argument, so a page size cannot be nested into a huge query.
 */
export function complexityLimitPlugin(schemaOf: () => GraphQLSchema): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema: schemaOf(),
              operationName: request.operationName,
              query: document,
              variables: request.variables ?? {},
              estimators: [
                fieldExtensionsEstimator(),
                ({ args, childComplexity }) =>
                  // Capped at the page size: a larger `first` is refused by validation with a clearer message.
                  typeof args.first === 'number' ? Math.min(args.first, MAX_PAGE_SIZE) * Math.max(childComplexity, 1) : undefined,
                simpleEstimator({ defaultComplexity: 1 }),
              ],
            });
          } catch {
            // Estimating needs the variables: when they are invalid, execution rejects them
            // next with every problem listed (BAD_USER_INPUT); nothing runs meanwhile.
            return;
          }
          if (complexity > MAX_QUERY_COMPLEXITY) {
            throw new GraphQLError(`Query is too complex: ${complexity} > ${MAX_QUERY_COMPLEXITY}`, {
              extensions: { code: 'QUERY_TOO_COMPLEX', complexity, maximum: MAX_QUERY_COMPLEXITY },
            });
          }
        },
      };
    },
  };
}
