import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { GqlContextType } from '@nestjs/graphql';

/**
 * Hands every exception a resolver throws back to GraphQL untouched, without logging it.
 * Without this filter Nest's ExternalExceptionFilter logs each one at error level with its stack
 * — a wrong password or a bad date included. `formatGraphqlError` is the one place that logs a
 * GraphQL error: client errors at info/warn without a stack, server errors at error with it.
 * Elsewhere (the few HTTP routes) Nest's own handling applies.
 */
@Catch()
export class GraphqlExceptionFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    // Returned, not thrown: Nest's GraphQL proxy returns it from the resolver and graphql-js
    // treats a returned Error as the field's error.
    if (host.getType<GqlContextType>() === 'graphql') return exception;
    super.catch(exception, host);
    return undefined;
  }
}
