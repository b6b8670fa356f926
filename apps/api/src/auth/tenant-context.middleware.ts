import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { runWithTenant } from '@pilotage/database';
import { TooManyRequestsError } from '@pilotage/common';
import { isApiKeyToken } from './api-key-secret';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import type { ApiKeyPrincipal, Principal, RequestPrincipal } from './principal';
import { SessionService } from './session.service';
import { TokenService } from './token.service';

export interface AuthenticatedRequest extends Request {
  principal?: RequestPrincipal;
}

/**
 * Authenticates the bearer token once per request and, when valid, runs the rest of the request
 * inside the tenant context (AsyncLocalStorage):
 * - an access token (JWT) whose session is still live: the user with their current role;
 * - an API key (`plk_...`, told apart by its prefix, never tried as a JWT): a machine principal
 *   of the key's agency, with no user, its scopes and its clients.
 * An invalid, revoked, expired or orphaned token leaves the request anonymous: resolvers that need
 * someone then fail with UNAUTHENTICATED. A key over its rate limit is answered here, 429.
 */
@Injectable()
export class TenantContextMiddleware implements NestMiddleware {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
    private readonly apiKeys: ApiKeyAuthenticator,
  ) {}

  async use(req: AuthenticatedRequest, res: Response, next: NextFunction): Promise<void> {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
    if (token && isApiKeyToken(token)) {
      await this.useApiKey(token, req, res, next);
      return;
    }
    const claims = token ? this.tokens.verifyAccess(token) : null;
    let principal: Principal | null;
    try {
      principal = claims ? await this.sessions.principalOf(claims) : null;
    } catch (error) {
      next(error);
      return;
    }
    if (!principal) {
      next();
      return;
    }
    req.principal = principal;
    runWithTenant({ agencyId: principal.agencyId, userId: principal.userId, role: principal.role, clientId: principal.clientId }, () => next());
  }

  private async useApiKey(token: string, req: AuthenticatedRequest, res: Response, next: NextFunction): Promise<void> {
    let principal: ApiKeyPrincipal | null;
    try {
      principal = await this.apiKeys.authenticate(token, req.ip ?? req.socket.remoteAddress ?? 'unknown');
    } catch (error) {
      if (error instanceof TooManyRequestsError) {
        refuseTooMany(req, res, error);
        return;
      }
      next(error);
      return;
    }
    if (!principal) {
      next();
      return;
    }
    req.principal = principal;
    runWithTenant(
      { agencyId: principal.agencyId, userId: null, role: 'API_KEY', clientId: null, apiKeyId: principal.apiKeyId, clientIds: principal.clientIds },
      () => next(),
    );
  }
}

/**
 * 429 with Retry-After, before anything else runs: as a GraphQL error (`extensions.code`
 * TOO_MANY_REQUESTS) on /graphql, as the plain routes' `{ code, message }` elsewhere.
 */
function refuseTooMany(req: Request, res: Response, error: TooManyRequestsError): void {
  const retryAfter = error.details.retryAfterSeconds;
  if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
  res.status(429);
  const path = req.originalUrl.split('?')[0];
  if (path === '/graphql') res.json({ errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }] });
  else res.json({ code: error.code, message: error.message, ...error.details });
}
