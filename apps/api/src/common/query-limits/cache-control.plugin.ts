// @nestjs/apollo is typed against @apollo/server's ESM declarations: use the same ones.
import type { ApolloServerPlugin } from '@apollo/server' with { 'resolution-mode': 'import' };
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';

/**
 * Apollo's cache-control plugin turned off. Apollo installs it by default, and it wraps the
 * resolution of EVERY field to collect cache hints, which no field of ours sets: a year of daily
 * points of 10 KPIs is ~15,000 fields, each resolved through that wrapper in one synchronous piece
 * of the event loop. Apollo recognizes the disabled plugin by its own enumerable markers, which the
 * spread keeps (the package's CommonJS declarations are not the ESM ones Nest's driver expects).
 */
export function cacheControlDisabledPlugin(): ApolloServerPlugin {
  const disabled: object = ApolloServerPluginCacheControlDisabled();
  return { ...disabled };
}
