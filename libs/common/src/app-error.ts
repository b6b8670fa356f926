/**
 * GraphQL error codes the API exposes in `extensions.code`. Modules throw {@link AppError}
 * subclasses; `format-graphql-error.ts` is the one place that turns them into GraphQL errors.
 */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  /** The operation's weighted cost is over the per-operation budget (see apps/api query-limits). */
  QUERY_TOO_COSTLY = 'QUERY_TOO_COSTLY',
  TOO_MANY_ALIASES = 'TOO_MANY_ALIASES',
  /** The GraphQL document has more lexical tokens than a document may (its parsing was stopped there). */
  TOO_MANY_TOKENS = 'TOO_MANY_TOKENS',
  TOO_MANY_ROOT_FIELDS = 'TOO_MANY_ROOT_FIELDS',
  TOO_MANY_FIELDS = 'TOO_MANY_FIELDS',
  /** More report previews in one operation than it may hold (each renders a report). */
  TOO_MANY_PREVIEWS = 'TOO_MANY_PREVIEWS',
  RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE',
  /** A database statement ran past the process's statement_timeout and was cancelled. */
  QUERY_TIMEOUT = 'QUERY_TIMEOUT',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** A problem with one input field: `field` is the path inside the input (`recipients.2`). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** An error whose message is safe to show to users. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadUserInputError extends AppError {
  constructor(
    message: string,
    readonly fields: readonly FieldProblem[] = [],
    details: Readonly<Record<string, unknown>> = {},
  ) {
    super(ErrorCode.BAD_USER_INPUT, message, { ...details, fields });
  }

  static forField(field: string, message: string): BadUserInputError {
    return new BadUserInputError(`${field}: ${message}`, [{ field, message }]);
  }
}

export class NotFoundError extends AppError {
  /** Another tenant's object is reported exactly like a missing one. `message` when the reason helps the user (a link superseded). */
  constructor(entity: string, id: string, message = `${entity} ${id} not found`) {
    super(ErrorCode.NOT_FOUND, message, { entity, id });
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this') {
    super(ErrorCode.FORBIDDEN, message);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication required') {
    super(ErrorCode.UNAUTHENTICATED, message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(ErrorCode.CONFLICT, message, details);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(retryAfterSeconds: number, message = `Too many attempts; retry in ${retryAfterSeconds} s`, details: Readonly<Record<string, unknown>> = {}) {
    super(ErrorCode.TOO_MANY_REQUESTS, message, { ...details, retryAfterSeconds });
  }
}

/**
 * A bound of the work one request may cause was reached (cost, aliases, root fields, response
 * size, statement time). `details` says which figure and its maximum, for the front-end.
 */
export class LimitExceededError extends AppError {
  constructor(
    code:
      | ErrorCode.QUERY_TOO_COSTLY
      | ErrorCode.TOO_MANY_ALIASES
      | ErrorCode.TOO_MANY_TOKENS
      | ErrorCode.TOO_MANY_ROOT_FIELDS
      | ErrorCode.TOO_MANY_FIELDS
      | ErrorCode.TOO_MANY_PREVIEWS
      | ErrorCode.RESPONSE_TOO_LARGE
      | ErrorCode.QUERY_TIMEOUT,
    message: string,
    details: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, details);
  }
}
