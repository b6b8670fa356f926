import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { AppError, ErrorCode } from '@pilotage/common';

const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  [ErrorCode.BAD_USER_INPUT]: HttpStatus.BAD_REQUEST,
  [ErrorCode.UNAUTHENTICATED]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.CONFLICT]: HttpStatus.CONFLICT,
  [ErrorCode.TOO_MANY_REQUESTS]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.QUERY_TOO_COSTLY]: HttpStatus.BAD_REQUEST,
  [ErrorCode.TOO_MANY_ALIASES]: HttpStatus.BAD_REQUEST,
  [ErrorCode.TOO_MANY_TOKENS]: HttpStatus.BAD_REQUEST,
  [ErrorCode.TOO_MANY_ROOT_FIELDS]: HttpStatus.BAD_REQUEST,
  [ErrorCode.TOO_MANY_FIELDS]: HttpStatus.BAD_REQUEST,
  [ErrorCode.TOO_MANY_PREVIEWS]: HttpStatus.BAD_REQUEST,
  [ErrorCode.RESPONSE_TOO_LARGE]: HttpStatus.BAD_REQUEST,
  // The request was fine; the database could not answer it in the time a request may take.
  [ErrorCode.QUERY_TIMEOUT]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.INTERNAL_SERVER_ERROR]: HttpStatus.INTERNAL_SERVER_ERROR,
};

/**
 * For the few plain HTTP routes (file uploads): our AppErrors become the status their code
 * means, with the same `{ code, message, ...details }` a GraphQL error carries in `extensions`.
 * Other errors are left to Nest (a generic 500 without internals).
 */
@Catch(AppError)
export class AppErrorHttpFilter implements ExceptionFilter {
  catch(error: AppError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    response.status(STATUS_BY_CODE[error.code]).json({ code: error.code, message: error.message, ...error.details });
  }
}
