import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import { QueryFailedError, type EntityManager } from 'typeorm';
import {
  AgencyEntity,
  assertClientNotArchived,
  ClientEntity,
  currentTenant,
  findLoginByInvitation,
  findLoginsByEmail,
  recordAudit,
  runWithTenant,
  systemContext,
  TenantDatabase,
  UserEntity,
} from '@pilotage/database';
import { BadUserInputError, ForbiddenError, NotFoundError, stripAccents, UnauthenticatedError } from '@pilotage/common';
import { toAgencyModel } from '../agencies/agency.mapper';
import type { Agency } from '../agencies/agency.model';
import { AccountTokenService } from './account-token.service';
import type { AcceptInvitationInput, InviteUserInput, LoginInput, SignUpInput } from './dto/auth.inputs';
import type { ResetPasswordInput } from './dto/account.inputs';
import { LoginRateLimiter } from './login-rate-limiter';
import { PasswordPolicy } from './password-policy';
import type { Principal } from './principal';
import { SessionService, type SessionOrigin, type SessionTokens } from './session.service';
import type { AuthPayload, Invitation, SignUpPayload, User } from './user.model';

/** OWASP's argon2id recommendation (19 MiB, 2 iterations, 1 lane). */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;
/** An address in more agencies than this is not a person; the login stops looking (and refuses). */
const MAX_LOGIN_CANDIDATES = 10;
const INVALID_CREDENTIALS = 'Invalid e-mail or password';

/** Where a request comes from: the client address (`req.ip`, proxy-aware per TRUST_PROXY) and its user agent. */
export interface RequestOrigin extends SessionOrigin {
  readonly ipAddress: string;
}

export function toUserModel(entity: UserEntity): User {
  return {
    id: entity.id,
    email: entity.email,
    displayName: entity.displayName,
    role: entity.role,
    clientId: entity.clientId,
    active: entity.passwordHash !== null,
    emailVerified: entity.emailVerifiedAt !== null,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function slugify(name: string): string {
  const slug = stripAccents(name)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/g, '');
  return slug || 'agency';
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError: unknown = error.driverError;
  return (
    typeof driverError === 'object' &&
    driverError !== null &&
    'code' in driverError &&
    driverError.code === '23505' &&
    'constraint' in driverError &&
    driverError.constraint === constraint
  );
}

function payload(tokens: SessionTokens, user: UserEntity): AuthPayload {
  return { ...tokens, user: toUserModel(user) };
}

/** Sign-up, e-mail verification, login, sessions, password reset and invitations. */
@Injectable()
export class AuthService {
  /** A real hash to verify against when no account can match, so timing reveals nothing. */
  private readonly decoyHash: Promise<string> = argon2.hash(randomBytes(16).toString('hex'), ARGON2_OPTIONS);

  constructor(
    private readonly db: TenantDatabase,
    private readonly sessions: SessionService,
    private readonly accountTokens: AccountTokenService,
    private readonly rateLimiter: LoginRateLimiter,
    private readonly passwordPolicy: PasswordPolicy,
  ) {}

  /**
   * Creates the agency and its owner, unverified: the owner logs in after following the link
   * e-mailed to the address. Until then the account cannot log in and is found by no e-mail
   * lookup, so a sign-up with somebody else's address changes nothing for them.
   */
  async signUp(input: SignUpInput): Promise<SignUpPayload> {
    const agencyId = randomUUID();
    const userId = randomUUID();
    const email = normalizeEmail(input.email);
    const slug = input.agencySlug ?? slugify(input.agencyName);
    this.passwordPolicy.assertAcceptable(input.password, [email, input.displayName, input.agencyName, slug]);
    const passwordHash = await argon2.hash(input.password, ARGON2_OPTIONS);
    const context = { ...systemContext(agencyId), userId };
    try {
      const { user, send, expiresAt } = await runWithTenant(context, () =>
        this.db.run(async (manager) => {
          await manager.insert(AgencyEntity, {
            id: agencyId,
            name: input.agencyName.trim(),
            slug,
            defaultLocale: input.defaultLocale ?? 'fr',
            currency: input.currency ?? 'EUR',
            timeZone: input.timeZone ?? 'Europe/Paris',
          });
          const created = manager.create(UserEntity, {
            agencyId,
            id: userId,
            email,
            displayName: input.displayName.trim(),
            passwordHash,
            role: 'OWNER',
            clientId: null,
            invitationTokenHash: null,
            invitationExpiresAt: null,
            emailVerifiedAt: null,
          });
          await manager.insert(UserEntity, created);
          await recordAudit(manager, { action: 'agency.created', entityType: 'agency', entityId: agencyId, data: { slug } });
          const mail = await this.accountTokens.create(manager, created, 'VERIFY_EMAIL', email, 'VERIFY_SIGN_UP');
          return { user: created, ...mail };
        }),
      );
      if (await this.rateLimiter.allowMail(email)) void send();
      return { user: toUserModel(user), verificationExpiresAt: expiresAt };
    } catch (error) {
      if (isUniqueViolation(error, 'agencies_slug_key')) {
        throw BadUserInputError.forField(input.agencySlug ? 'agencySlug' : 'agencyName', `the agency slug "${slug}" is already taken`);
      }
      throw error;
    }
  }

  /** Proves an address (of a sign-up or a change of e-mail) and signs the user in. */
  async verifyEmail(token: string, origin: SessionOrigin): Promise<AuthPayload> {
    const result = await this.accountTokens.redeem(token, 'VERIFY_EMAIL', async (manager, { row, user }) => {
      const changed = user.email !== row.email;
      user.email = row.email;
      user.emailVerifiedAt = new Date();
      try {
        await manager.save(UserEntity, user);
      } catch (error) {
        if (isUniqueViolation(error, 'users_agency_id_email_key')) {
          throw BadUserInputError.forField('token', 'another user of the agency has this e-mail address now');
        }
        throw error;
      }
      await recordAudit(manager, { action: changed ? 'user.email_changed' : 'user.email_verified', entityType: 'user', entityId: user.id });
      return { tokens: await this.sessions.open(manager, user, origin), user };
    });
    return payload(result.tokens, result.user);
  }

  /** Sends a new confirmation link to an unverified account of this address; the answer never says whether one exists. */
  async requestEmailVerification(rawEmail: string): Promise<void> {
    const email = normalizeEmail(rawEmail);
    if (!(await this.rateLimiter.allowMail(email))) return;
    const sends = await this.forEachAccountOf(email, async (manager, user) => {
      if (user.emailVerifiedAt !== null || user.passwordHash === null) return null;
      return (await this.accountTokens.create(manager, user, 'VERIFY_EMAIL', email, 'VERIFY_SIGN_UP')).send;
    });
    for (const send of sends) void send();
  }

  /**
   * Login, consume-before-verify: the attempt is counted before any lookup, then the password
   * is checked against every verified account of the address (or a decoy hash when there is
   * none), so unknown e-mail, wrong password, unverified and removed accounts get the same
   * answer in about the same time. Only when the password matches accounts in several agencies
   * is the agency slug asked for.
   */
  async login(input: LoginInput, origin: RequestOrigin): Promise<AuthPayload> {
    const email = normalizeEmail(input.email);
    await this.rateLimiter.consumeAttempt(email, origin.ipAddress);
    const candidates = (await this.db.runWithoutTenant((manager) => findLoginsByEmail(manager, email, input.agencySlug ?? null))).slice(
      0,
      MAX_LOGIN_CANDIDATES,
    );
    const users: UserEntity[] = [];
    for (const candidate of candidates) {
      const user = await runWithTenant(systemContext(candidate.agencyId), () =>
        this.db.run((manager) => manager.findOneBy(UserEntity, { agencyId: candidate.agencyId, id: candidate.userId })),
      );
      if (user?.passwordHash && user.emailVerifiedAt !== null) users.push(user);
    }
    const matches: UserEntity[] = [];
    for (const user of users) {
      if (user.passwordHash && (await argon2.verify(user.passwordHash, input.password))) matches.push(user);
    }
    if (users.length === 0) await argon2.verify(await this.decoyHash, input.password);
    const [match] = matches;
    if (!match) throw new UnauthenticatedError(INVALID_CREDENTIALS);
    await this.rateLimiter.recordSuccess(email, origin.ipAddress);
    if (matches.length > 1) throw BadUserInputError.forField('agencySlug', 'this e-mail and password open accounts in several agencies: give the agency slug');
    const tokens = await runWithTenant({ ...systemContext(match.agencyId), userId: match.id }, () =>
      this.db.run((manager) => this.sessions.open(manager, match, origin)),
    );
    return payload(tokens, match);
  }

  async refreshSession(refreshToken: string): Promise<AuthPayload> {
    const { tokens, user } = await this.sessions.refresh(refreshToken);
    return payload(tokens, user);
  }

  /** Ends the session of the request (its access and refresh tokens stop working at once). */
  async logout(principal: Principal): Promise<void> {
    await this.db.run((manager) => this.sessions.revoke(manager, principal.agencyId, principal.sessionId));
  }

  /** E-mails a reset link to every verified account of the address; the answer never says whether one exists. */
  async requestPasswordReset(rawEmail: string): Promise<void> {
    const email = normalizeEmail(rawEmail);
    if (!(await this.rateLimiter.allowMail(email))) return;
    const sends = await this.forEachAccountOf(email, async (manager, user) => {
      if (user.emailVerifiedAt === null || user.passwordHash === null) return null;
      return (await this.accountTokens.create(manager, user, 'RESET_PASSWORD', email, 'RESET_PASSWORD')).send;
    });
    for (const send of sends) void send();
  }

  /** Sets a new password with a reset token; every session of the user ends. */
  async resetPassword(input: ResetPasswordInput): Promise<void> {
    await this.accountTokens.redeem(input.token, 'RESET_PASSWORD', async (manager, { user }) => {
      this.passwordPolicy.assertAcceptable(input.password, [user.email, user.displayName]);
      user.passwordHash = await argon2.hash(input.password, ARGON2_OPTIONS);
      await manager.save(UserEntity, user);
      await this.sessions.revokeAllOf(manager, user.agencyId, user.id, null);
      await recordAudit(manager, { action: 'user.password_reset', entityType: 'user', entityId: user.id });
    });
  }

  async me(principal: Principal): Promise<{ user: User; agency: Agency }> {
    return this.db.run(async (manager) => {
      const user = await manager.findOneBy(UserEntity, { agencyId: principal.agencyId, id: principal.userId });
      const agency = await manager.findOneBy(AgencyEntity, { id: principal.agencyId });
      if (!user || !agency) throw new UnauthenticatedError('This account no longer exists');
      return { user: toUserModel(user), agency: toAgencyModel(agency) };
    });
  }

  async invite(input: InviteUserInput): Promise<Invitation> {
    const tenant = currentTenant();
    if (tenant.role !== 'OWNER' && input.role !== 'CLIENT_VIEWER') {
      throw new ForbiddenError('Only an owner can invite agency staff');
    }
    if (input.role !== 'CLIENT_VIEWER' && input.clientId) {
      throw BadUserInputError.forField('clientId', 'only a CLIENT_VIEWER is bound to a client');
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
    const email = normalizeEmail(input.email);
    try {
      const user = await this.db.run(async (manager) => {
        if (input.clientId) await this.assertClientExists(manager, tenant.agencyId, input.clientId);
        const created = manager.create(UserEntity, {
          agencyId: tenant.agencyId,
          id: randomUUID(),
          email,
          displayName: input.displayName.trim(),
          passwordHash: null,
          role: input.role,
          clientId: input.clientId ?? null,
          invitationTokenHash: hashToken(token),
          invitationExpiresAt: expiresAt,
          emailVerifiedAt: null,
        });
        await manager.insert(UserEntity, created);
        await recordAudit(manager, { action: 'user.invited', entityType: 'user', entityId: created.id, data: { role: input.role } });
        return created;
      });
      return { user: toUserModel(user), token, expiresAt };
    } catch (error) {
      if (isUniqueViolation(error, 'users_agency_id_email_key')) {
        throw BadUserInputError.forField('email', 'a user with this e-mail already belongs to the agency');
      }
      throw error;
    }
  }

  /**
   * Accepts an invitation. The address counts as verified: the invitation token reached the
   * invitee through the agency, which vouches for the address it invited.
   */
  async acceptInvitation(input: AcceptInvitationInput, origin: SessionOrigin): Promise<AuthPayload> {
    const tokenHash = hashToken(input.token);
    const entry = await this.db.runWithoutTenant((manager) => findLoginByInvitation(manager, tokenHash));
    if (!entry) throw BadUserInputError.forField('token', 'this invitation is invalid or was already used');
    const result = await runWithTenant({ ...systemContext(entry.agencyId), userId: entry.userId }, () =>
      this.db.run(async (manager) => {
        const invited = await manager.findOneBy(UserEntity, { agencyId: entry.agencyId, id: entry.userId });
        if (!invited || invited.invitationTokenHash !== tokenHash) {
          throw BadUserInputError.forField('token', 'this invitation is invalid or was already used');
        }
        if (!invited.invitationExpiresAt || invited.invitationExpiresAt.getTime() < Date.now()) {
          throw BadUserInputError.forField('token', 'this invitation has expired');
        }
        this.passwordPolicy.assertAcceptable(input.password, [invited.email, invited.displayName]);
        invited.passwordHash = await argon2.hash(input.password, ARGON2_OPTIONS);
        invited.invitationTokenHash = null;
        invited.invitationExpiresAt = null;
        invited.emailVerifiedAt = new Date();
        await manager.save(UserEntity, invited);
        await recordAudit(manager, { action: 'user.invitation_accepted', entityType: 'user', entityId: invited.id });
        return { tokens: await this.sessions.open(manager, invited, origin), user: invited };
      }),
    );
    return payload(result.tokens, result.user);
  }

  /**
   * Runs `work` for each account of an address, each in its agency's tenant transaction, and
   * returns what it produced (the e-mails to send once committed).
   */
  private async forEachAccountOf<T>(email: string, work: (manager: EntityManager, user: UserEntity) => Promise<T | null>): Promise<T[]> {
    const candidates = (await this.db.runWithoutTenant((manager) => findLoginsByEmail(manager, email, null))).slice(0, MAX_LOGIN_CANDIDATES);
    const results: T[] = [];
    for (const candidate of candidates) {
      const result = await runWithTenant({ ...systemContext(candidate.agencyId), userId: candidate.userId }, () =>
        this.db.run(async (manager) => {
          const user = await manager.findOneBy(UserEntity, { agencyId: candidate.agencyId, id: candidate.userId });
          return user ? work(manager, user) : null;
        }),
      );
      if (result !== null) results.push(result);
    }
    return results;
  }

  private async assertClientExists(manager: EntityManager, agencyId: string, clientId: string): Promise<void> {
    const client = await manager.findOneBy(ClientEntity, { agencyId, id: clientId });
    if (!client) throw new NotFoundError('Client', clientId);
    assertClientNotArchived(client);
  }
}
