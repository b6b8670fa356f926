import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { runWithTenant } from '@pilotage/database';
import type { Principal } from './principal';
import { SessionService } from './session.service';
import { TokenService } from './token.service';

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/**
 * Authenticates the bearer token once per request and, when valid and its session still live,
 * runs the rest of the request inside the tenant context (AsyncLocalStorage) with the user's
 * current role. An invalid, revoked or orphaned token leaves the request anonymous: resolvers
 * that need a user then fail with UNAUTHENTICATED.
 */
@Injectable()
export class TenantContextMiddleware implements NestMiddleware {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
  ) {}

  async use(req: AuthenticatedRequest, _res: Response, next: NextFunction): Promise<void> {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
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
}
