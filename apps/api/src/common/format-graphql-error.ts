import { unwrapResolverError } from '@apollo/server/errors';
import { HttpException } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { NoTenantContextError } from '@pilotage/database';
import { AppError, ErrorCode } from '@pilotage/common';

/** Client errors worth an operator's eye (refusals, throttling) are warnings; the others are routine. */
const WARN_CODES: ReadonlySet<string> = new Set([ErrorCode.FORBIDDEN, ErrorCode.TOO_MANY_REQUESTS]);

/** A client's mistake: one line, its code and message, no stack (nothing went wrong on our side). */
function logClientError(logger: Logger, code: string, message: string, path: GraphQLFormattedError['path']): void {
  const entry = { code, path: path?.join('.'), message };
  if (WARN_CODES.has(code)) logger.warn(entry, 'GraphQL request refused');
  else logger.info(entry, 'GraphQL client error');
}

/**
 * The one place that maps errors to GraphQL, and the one that logs them (GraphqlExceptionFilter
 * keeps Nest from logging them again): our AppErrors keep their code and user message and are
 * logged at info/warn without a stack; GraphQL's own errors (syntax, validation, variable
 * coercion) pass through likewise; anything else is logged at error with its stack and shown as
 * a generic INTERNAL_SERVER_ERROR without internals.
 */
export function formatGraphqlError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const unwrapped = unwrapResolverError(error);
    // Refusals thrown before execution (query limits) are GraphQLErrors carrying our coded error.
    const original = unwrapped instanceof GraphQLError && unwrapped.originalError instanceof AppError ? unwrapped.originalError : unwrapped;
    if (original instanceof AppError) {
      logClientError(logger, original.code, original.message, formatted.path);
      return {
        message: original.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: original.code, ...original.details },
      };
    }
    if (original instanceof HttpException) {
      // Nest's built-in guards/pipes; ours never throw these, but a library might.
      const status = original.getStatus();
      const code =
        status === 401 ? ErrorCode.UNAUTHENTICATED : status === 403 ? ErrorCode.FORBIDDEN : status === 404 ? ErrorCode.NOT_FOUND : ErrorCode.BAD_USER_INPUT;
      logClientError(logger, code, original.message, formatted.path);
      return { message: original.message, path: formatted.path, locations: formatted.locations, extensions: { code } };
    }
    const code = formatted.extensions?.code;
    if (original instanceof GraphQLError && typeof code === 'string' && code !== String(ErrorCode.INTERNAL_SERVER_ERROR)) {
      logClientError(logger, code, formatted.message, formatted.path);
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
    }
    if (original instanceof NoTenantContextError) {
      logger.error({ err: original }, 'tenant data accessed without a tenant context');
    } else {
      logger.error({ err: original }, 'unexpected error in GraphQL resolver');
    }
    return {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
