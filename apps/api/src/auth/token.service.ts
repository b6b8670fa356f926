import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { USER_ROLES, type UserRole } from '@pilotage/database';
import type { Principal } from './principal';

interface TokenClaims {
  sub: string;
  agency: string;
  role: UserRole;
  client: string | null;
}

const ISSUER = 'pilotage';

/** Issues and verifies the API's access tokens (HS256 JWT, short-lived). */
@Injectable()
export class TokenService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  issue(principal: Principal): { token: string; expiresAt: Date } {
    const claims: TokenClaims = {
      sub: principal.userId,
      agency: principal.agencyId,
      role: principal.role,
      client: principal.clientId,
    };
    const token = jwt.sign(claims, this.config.jwtSecret, {
      algorithm: 'HS256',
      expiresIn: this.config.jwtTtlSeconds,
      issuer: ISSUER,
    });
    return { token, expiresAt: new Date(Date.now() + this.config.jwtTtlSeconds * 1000) };
  }

  /** The principal of a valid token, or null (bad signature, expired, malformed). */
  verify(token: string): Principal | null {
    try {
      const decoded = jwt.verify(token, this.config.jwtSecret, { algorithms: ['HS256'], issuer: ISSUER });
      if (typeof decoded !== 'object' || decoded === null) return null;
      const { sub, agency, role, client }: Record<string, unknown> = decoded;
      if (typeof sub !== 'string' || typeof agency !== 'string') return null;
      const userRole = USER_ROLES.find((known) => known === role);
      if (userRole === undefined) return null;
      return { userId: sub, agencyId: agency, role: userRole, clientId: typeof client === 'string' ? client : null };
    } catch {
      return null;
    }
  }
}
