import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import {
  findLiveSessionGrant,
  isUuid,
  recordAudit,
  RefreshTokenEntity,
  revokeUserSessions,
  runWithTenant,
  systemContext,
  TenantDatabase,
  useRefreshToken,
  UserEntity,
  UserSessionEntity,
  type LiveSessionGrant,
} from '@pilotage/database';
import { UnauthenticatedError } from '@pilotage/common';
import type { Principal } from './principal';
import { TokenService, type AccessClaims } from './token.service';

/** The tokens a login, a verification or a refresh hands out. */
export interface SessionTokens {
  readonly token: string;
  readonly expiresAt: Date;
  readonly refreshToken: string;
  readonly refreshTokenExpiresAt: Date;
}

/** Where a session was opened from (shown in the session list). */
export interface SessionOrigin {
  readonly userAgent: string | null;
  readonly ipAddress: string | null;
}

interface CachedGrant {
  readonly userId: string;
  readonly grant: LiveSessionGrant | null;
  readonly until: number;
}

const MAX_CACHED_SESSIONS = 10_000;

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Sessions: one per login, refreshed by single-use refresh tokens (stored hashed, rotated on
 * each use; a replayed one revokes the session), checked on every request. The check reads the
 * session and its user's current role (one indexed query), cached a few seconds per session;
 * changes made through this process drop the cache entry at once, other replicas catch up
 * within SESSION_CHECK_CACHE_SECONDS.
 */
@Injectable()
export class SessionService {
  private readonly grants = new Map<string, CachedGrant>();

  constructor(
    private readonly db: TenantDatabase,
    private readonly tokens: TokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Opens a session for `user` (inside its agency's tenant transaction `manager`). */
  async open(manager: EntityManager, user: UserEntity, origin: SessionOrigin): Promise<SessionTokens> {
    const session = manager.create(UserSessionEntity, {
      agencyId: user.agencyId,
      id: randomUUID(),
      userId: user.id,
      userAgent: origin.userAgent?.slice(0, 300) ?? null,
      ipAddress: origin.ipAddress,
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000),
      revokedAt: null,
    });
    await manager.insert(UserSessionEntity, session);
    return this.issue(manager, session);
  }

  /** Trades a refresh token for new tokens; a token used twice revokes its whole session. */
  async refresh(refreshToken: string): Promise<{ tokens: SessionTokens; user: UserEntity }> {
    const [agencyId = '', secret = ''] = refreshToken.split('.');
    if (!isUuid(agencyId) || secret.length < 32) throw new UnauthenticatedError('Invalid refresh token');
    const outcome = await runWithTenant(systemContext(agencyId), () =>
      this.db.run(async (manager): Promise<{ tokens: SessionTokens; user: UserEntity } | { reused: string } | 'invalid'> => {
        const used = await useRefreshToken(manager, agencyId, sha256(secret));
        if (!used) return 'invalid';
        const session = await manager.findOneBy(UserSessionEntity, { agencyId, id: used.sessionId });
        if (!session || session.revokedAt !== null || session.expiresAt.getTime() <= Date.now()) return 'invalid';
        if (!used.firstUse) {
          session.revokedAt = new Date();
          await manager.save(UserSessionEntity, session);
          await recordAudit(manager, { action: 'session.refresh_reused', entityType: 'session', entityId: session.id, data: { userId: session.userId } });
          return { reused: session.id };
        }
        const user = await manager.findOneBy(UserEntity, { agencyId, id: session.userId });
        if (!user?.passwordHash || !user.emailVerifiedAt) return 'invalid';
        session.lastUsedAt = new Date();
        await manager.save(UserSessionEntity, session);
        return { tokens: await this.issue(manager, session), user };
      }),
    );
    if (outcome === 'invalid') throw new UnauthenticatedError('Invalid refresh token');
    if ('reused' in outcome) {
      this.grants.delete(outcome.reused);
      throw new UnauthenticatedError('Invalid refresh token');
    }
    return outcome;
  }

  /** Revokes one session of the current agency; false when there is no such live session. */
  async revoke(manager: EntityManager, agencyId: string, sessionId: string): Promise<boolean> {
    const session = await manager.findOneBy(UserSessionEntity, { agencyId, id: sessionId });
    if (!session || session.revokedAt !== null) return false;
    session.revokedAt = new Date();
    await manager.save(UserSessionEntity, session);
    this.grants.delete(sessionId);
    return true;
  }

  /** Revokes every session of a user but `keep`. */
  async revokeAllOf(manager: EntityManager, agencyId: string, userId: string, keep: string | null): Promise<void> {
    const revoked = await revokeUserSessions(manager, agencyId, userId, keep);
    for (const id of revoked) this.grants.delete(id);
  }

  /** Drops what this process cached about a user's sessions (role changed, user removed). */
  forgetUser(userId: string): void {
    for (const [sessionId, cached] of this.grants) if (cached.userId === userId) this.grants.delete(sessionId);
  }

  /** The principal of a verified access token if its session is live and its user may still sign in. */
  async principalOf(claims: AccessClaims): Promise<Principal | null> {
    const now = Date.now();
    let cached = this.grants.get(claims.sessionId);
    if (!cached || cached.until <= now || cached.userId !== claims.userId) {
      const grant = await runWithTenant(systemContext(claims.agencyId), () =>
        this.db.run((manager) => findLiveSessionGrant(manager, claims.agencyId, claims.userId, claims.sessionId)),
      );
      if (this.grants.size >= MAX_CACHED_SESSIONS) this.grants.clear();
      cached = { userId: claims.userId, grant, until: now + this.config.sessionCheckCacheSeconds * 1000 };
      this.grants.set(claims.sessionId, cached);
    }
    if (!cached.grant) return null;
    return {
      kind: 'USER',
      userId: claims.userId,
      agencyId: claims.agencyId,
      sessionId: claims.sessionId,
      role: cached.grant.role,
      clientId: cached.grant.clientId,
    };
  }

  private async issue(manager: EntityManager, session: UserSessionEntity): Promise<SessionTokens> {
    const secret = randomBytes(32).toString('base64url');
    await manager.insert(RefreshTokenEntity, { agencyId: session.agencyId, tokenHash: sha256(secret), sessionId: session.id, usedAt: null });
    const access = this.tokens.issueAccess({ userId: session.userId, agencyId: session.agencyId, sessionId: session.id });
    return { token: access.token, expiresAt: access.expiresAt, refreshToken: `${session.agencyId}.${secret}`, refreshTokenExpiresAt: session.expiresAt };
  }
}
