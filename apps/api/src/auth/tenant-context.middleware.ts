import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { runWithTenant } from '@pilotage/database';
import type { Principal } from './principal';
import { TokenService } from './token.service';

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/**
 * Authenticates the bearer token once per request and, when valid, runs the rest of the
 * request inside the tenant context (AsyncLocalStorage). An invalid or missing token leaves
 * the request anonymous: resolvers that need a user then fail with UNAUTHENTICATED.
 */
@Injectable()
export class TenantContextMiddleware implements NestMiddleware {
  constructor(private readonly tokens: TokenService) {}

  use(req: AuthenticatedRequest, _res: Response, next: NextFunction): void {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
    const principal = token ? this.tokens.verify(token) : null;
    if (!principal) {
      next();
      return;
    }
    req.principal = principal;
    runWithTenant({ agencyId: principal.agencyId, userId: principal.userId, role: principal.role, clientId: principal.clientId }, () => next());
  }
}
