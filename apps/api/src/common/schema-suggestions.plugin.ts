// @nestjs/apollo is typed against @apollo/server's ESM declarations: use the same ones.
import type { ApolloServerPlugin } from '@apollo/server' with { 'resolution-mode': 'import' };

/** GraphQL's hints: `Did you mean "clients"?`, `Did you mean the enum value "ECOMMERCE"?`. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** `message` without GraphQL's "Did you mean ...?" hints. */
export function withoutSchemaSuggestions(message: string): string {
  return message.replace(SUGGESTION, '').trim();
}

/**
 * Production turns introspection off, but GraphQL still names existing fields, arguments, types
 * and enum values in its errors ("Cannot query field "clint". Did you mean "client"?"), so a
 * few guesses map the schema anyway. This strips those hints from every error of a request —
 * validation (unknown fields, arguments, types) and variable coercion (unknown input fields,
 * enum values) alike; Apollo's `hideSchemaDetailsFromClientErrors` covers validation only.
 */
export function hideSchemaSuggestionsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) error.message = withoutSchemaSuggestions(error.message);
        },
      };
    },
  };
}
