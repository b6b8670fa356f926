import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import { IsNull, MoreThan, type EntityManager } from 'typeorm';
import { ClientEntity, isUuid, lockAgencyOwners, recordAudit, TenantDatabase, UserEntity, UserSessionEntity, type UserRole } from '@pilotage/database';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '@pilotage/common';
import { AccountTokenService } from './account-token.service';
import { ARGON2_OPTIONS, normalizeEmail, toUserModel, type RequestOrigin } from './auth.service';
import type { ChangeEmailInput, ChangePasswordInput, ChangeUserRoleInput } from './dto/account.inputs';
import { LoginRateLimiter } from './login-rate-limiter';
import { PasswordPolicy } from './password-policy';
import type { Principal } from './principal';
import { SessionService } from './session.service';
import type { Session, User } from './user.model';

/** An agency has a handful of people; the list is bounded all the same. */
const MAX_LISTED = 500;

/** What signed-in users do with accounts: their password and address, the agency's users, roles and sessions. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly sessions: SessionService,
    private readonly accountTokens: AccountTokenService,
    private readonly rateLimiter: LoginRateLimiter,
    private readonly passwordPolicy: PasswordPolicy,
  ) {}

  /** Needs the current password (rate limited like a login); ends every other session. */
  async changePassword(principal: Principal, input: ChangePasswordInput, origin: RequestOrigin): Promise<void> {
    await this.db.run(async (manager) => {
      const user = await this.currentUser(manager, principal);
      await this.assertCurrentPassword(user, input.currentPassword, origin);
      this.passwordPolicy.assertAcceptable(input.password, [user.email, user.displayName]);
      user.passwordHash = await argon2.hash(input.password, ARGON2_OPTIONS);
      await manager.save(UserEntity, user);
      await this.sessions.revokeAllOf(manager, user.agencyId, user.id, principal.sessionId);
      await recordAudit(manager, { action: 'user.password_changed', entityType: 'user', entityId: user.id });
    });
  }

  /** Needs the current password; the address changes when the link e-mailed to the new address is followed (verifyEmail). */
  async changeEmail(principal: Principal, input: ChangeEmailInput, origin: RequestOrigin): Promise<void> {
    const email = normalizeEmail(input.email);
    const send = await this.db.run(async (manager) => {
      const user = await this.currentUser(manager, principal);
      await this.assertCurrentPassword(user, input.currentPassword, origin);
      if (email === user.email) throw BadUserInputError.forField('email', 'this is already your e-mail address');
      if (await manager.existsBy(UserEntity, { agencyId: user.agencyId, email })) {
        throw BadUserInputError.forField('email', 'a user with this e-mail already belongs to the agency');
      }
      return (await this.accountTokens.create(manager, user, 'VERIFY_EMAIL', email, 'VERIFY_NEW_EMAIL')).send;
    });
    if (await this.rateLimiter.allowMail(email)) void send();
  }

  async users(principal: Principal): Promise<User[]> {
    const users = await this.db.run((manager) =>
      manager.find(UserEntity, { where: { agencyId: principal.agencyId }, order: { createdAt: 'ASC', id: 'ASC' }, take: MAX_LISTED }),
    );
    return users.map(toUserModel);
  }

  /** Live sessions of the signed-in user, or of another user of the agency for an owner. */
  async sessionsOf(principal: Principal, userId: string | undefined): Promise<Session[]> {
    const target = userId ?? principal.userId;
    if (target !== principal.userId && principal.role !== 'OWNER') throw new ForbiddenError('Only an owner can see other users’ sessions');
    const rows = await this.db.run(async (manager) => {
      if (!(await manager.existsBy(UserEntity, { agencyId: principal.agencyId, id: target }))) throw new NotFoundError('User', target);
      return manager.find(UserSessionEntity, {
        where: { agencyId: principal.agencyId, userId: target, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
        order: { lastUsedAt: 'DESC', id: 'ASC' },
        take: MAX_LISTED,
      });
    });
    return rows.map((row) => ({
      id: row.id,
      userId: row.userId,
      current: row.id === principal.sessionId,
      userAgent: row.userAgent,
      ipAddress: row.ipAddress,
      createdAt: row.createdAt,
      lastUsedAt: row.lastUsedAt,
      expiresAt: row.expiresAt,
    }));
  }

  /** Ends one of the user's own sessions, or any session of the agency for an owner; NOT_FOUND otherwise. */
  async revokeSession(principal: Principal, sessionId: string): Promise<void> {
    if (!isUuid(sessionId)) throw new NotFoundError('Session', sessionId);
    await this.db.run(async (manager) => {
      const session = await manager.findOneBy(UserSessionEntity, { agencyId: principal.agencyId, id: sessionId });
      if (!session || session.revokedAt !== null || (session.userId !== principal.userId && principal.role !== 'OWNER')) {
        throw new NotFoundError('Session', sessionId);
      }
      await this.sessions.revoke(manager, principal.agencyId, sessionId);
      await recordAudit(manager, { action: 'session.revoked', entityType: 'session', entityId: sessionId, data: { userId: session.userId } });
    });
  }

  /** Removes a user (owners only): their sessions end at once. The last owner cannot be removed. */
  async removeUser(principal: Principal, userId: string): Promise<void> {
    if (!isUuid(userId)) throw new NotFoundError('User', userId);
    await this.db.run(async (manager) => {
      const owners = await lockAgencyOwners(manager, principal.agencyId);
      const user = await manager.findOneBy(UserEntity, { agencyId: principal.agencyId, id: userId });
      if (!user) throw new NotFoundError('User', userId);
      if (user.role === 'OWNER' && owners.length <= 1) throw new ConflictError('The last owner of an agency cannot be removed', { reason: 'LAST_OWNER' });
      await manager.delete(UserEntity, { agencyId: principal.agencyId, id: userId });
      await recordAudit(manager, { action: 'user.removed', entityType: 'user', entityId: userId, data: { role: user.role } });
    });
    this.sessions.forgetUser(userId);
  }

  /** Changes a role (owners only); the user's next request has it. The last owner cannot be demoted. */
  async changeUserRole(principal: Principal, input: ChangeUserRoleInput): Promise<User> {
    const role: UserRole = input.role;
    if (role !== 'CLIENT_VIEWER' && input.clientId) throw BadUserInputError.forField('clientId', 'only a CLIENT_VIEWER is bound to a client');
    const user = await this.db.run(async (manager) => {
      const owners = await lockAgencyOwners(manager, principal.agencyId);
      const target = await manager.findOneBy(UserEntity, { agencyId: principal.agencyId, id: input.userId });
      if (!target) throw new NotFoundError('User', input.userId);
      if (target.role === 'OWNER' && role !== 'OWNER' && owners.length <= 1) {
        throw new ConflictError('The last owner of an agency cannot be demoted', { reason: 'LAST_OWNER' });
      }
      if (input.clientId && !(await manager.existsBy(ClientEntity, { agencyId: principal.agencyId, id: input.clientId }))) {
        throw new NotFoundError('Client', input.clientId);
      }
      const from = target.role;
      target.role = role;
      target.clientId = role === 'CLIENT_VIEWER' ? (input.clientId ?? null) : null;
      await manager.save(UserEntity, target);
      await recordAudit(manager, { action: 'user.role_changed', entityType: 'user', entityId: target.id, data: { from, to: role } });
      return target;
    });
    this.sessions.forgetUser(user.id);
    return toUserModel(user);
  }

  private async currentUser(manager: EntityManager, principal: Principal): Promise<UserEntity> {
    const user = await manager.findOneBy(UserEntity, { agencyId: principal.agencyId, id: principal.userId });
    if (!user?.passwordHash) throw new UnauthenticatedError('This account no longer exists');
    return user;
  }

  private async assertCurrentPassword(user: UserEntity, password: string, origin: RequestOrigin): Promise<void> {
    await this.rateLimiter.consumeAttempt(user.email, origin.ipAddress);
    if (!user.passwordHash || !(await argon2.verify(user.passwordHash, password))) {
      throw BadUserInputError.forField('currentPassword', 'the current password is not correct');
    }
    await this.rateLimiter.recordSuccess(user.email, origin.ipAddress);
  }
}
