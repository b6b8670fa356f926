import { createHash, randomBytes, randomUUID } from 'node:crypto';
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
import type { AcceptInvitationInput, InviteUserInput, LoginInput, SignUpInput } from './dto/auth.inputs';
import { LoginRateLimiter } from './login-rate-limiter';
import type { Principal } from './principal';
import { TokenService } from './token.service';
import type { AuthPayload, Invitation, User } from './user.model';

/** OWASP's argon2id recommendation (19 MiB, 2 iterations, 1 lane). */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export function toUserModel(entity: UserEntity): User {
  return {
    id: entity.id,
    email: entity.email,
    displayName: entity.displayName,
    role: entity.role,
    clientId: entity.clientId,
    active: entity.passwordHash !== null,
  };
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

function isUniqueViolation(error: unknown, constraint: string): boolean {
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

@Injectable()
export class AuthService {
  /** A real hash to verify against when the e-mail is unknown, so timing reveals nothing. */
  private readonly decoyHash: Promise<string> = argon2.hash(randomBytes(16).toString('hex'), ARGON2_OPTIONS);

  constructor(
    private readonly db: TenantDatabase,
    private readonly tokens: TokenService,
    private readonly rateLimiter: LoginRateLimiter,
  ) {}

  async signUp(input: SignUpInput): Promise<AuthPayload> {
    const agencyId = randomUUID();
    const userId = randomUUID();
    const email = input.email.trim().toLowerCase();
    const slug = input.agencySlug ?? slugify(input.agencyName);
    const passwordHash = await argon2.hash(input.password, ARGON2_OPTIONS);
    const context = { ...systemContext(agencyId), userId };
    try {
      const user = await runWithTenant(context, () =>
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
          });
          await manager.insert(UserEntity, created);
          await recordAudit(manager, { action: 'agency.created', entityType: 'agency', entityId: agencyId, data: { slug } });
          return created;
        }),
      );
      return this.payload(user);
    } catch (error) {
      if (isUniqueViolation(error, 'agencies_slug_key')) {
        throw BadUserInputError.forField(input.agencySlug ? 'agencySlug' : 'agencyName', `the agency slug "${slug}" is already taken`);
      }
      throw error;
    }
  }

  async login(input: LoginInput, ip: string): Promise<AuthPayload> {
    const email = input.email.trim().toLowerCase();
    await this.rateLimiter.assertAllowed(email, ip);
    const candidates = await this.db.runWithoutTenant((manager) => findLoginsByEmail(manager, email, input.agencySlug ?? null));
    if (candidates.length > 1) {
      throw BadUserInputError.forField('agencySlug', 'this e-mail belongs to several agencies: give the agency slug');
    }
    const candidate = candidates[0];
    const user = candidate
      ? await runWithTenant(systemContext(candidate.agencyId), () =>
          this.db.run((manager) => manager.findOneBy(UserEntity, { agencyId: candidate.agencyId, id: candidate.userId })),
        )
      : null;
    const valid = await argon2.verify(user?.passwordHash ?? (await this.decoyHash), input.password);
    if (!user || !user.passwordHash || !valid) {
      await this.rateLimiter.recordFailure(email, ip);
      throw new UnauthenticatedError('Invalid e-mail or password');
    }
    await this.rateLimiter.recordSuccess(email, ip);
    return this.payload(user);
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
    const email = input.email.trim().toLowerCase();
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

  async acceptInvitation(input: AcceptInvitationInput): Promise<AuthPayload> {
    const tokenHash = hashToken(input.token);
    const entry = await this.db.runWithoutTenant((manager) => findLoginByInvitation(manager, tokenHash));
    if (!entry) throw BadUserInputError.forField('token', 'this invitation is invalid or was already used');
    const passwordHash = await argon2.hash(input.password, ARGON2_OPTIONS);
    const user = await runWithTenant({ ...systemContext(entry.agencyId), userId: entry.userId }, () =>
      this.db.run(async (manager) => {
        const invited = await manager.findOneBy(UserEntity, { agencyId: entry.agencyId, id: entry.userId });
        if (!invited || invited.invitationTokenHash !== tokenHash) {
          throw BadUserInputError.forField('token', 'this invitation is invalid or was already used');
        }
        if (!invited.invitationExpiresAt || invited.invitationExpiresAt.getTime() < Date.now()) {
          throw BadUserInputError.forField('token', 'this invitation has expired');
        }
        invited.passwordHash = passwordHash;
        invited.invitationTokenHash = null;
        invited.invitationExpiresAt = null;
        await manager.save(UserEntity, invited);
        await recordAudit(manager, { action: 'user.invitation_accepted', entityType: 'user', entityId: invited.id });
        return invited;
      }),
    );
    return this.payload(user);
  }

  private async assertClientExists(manager: EntityManager, agencyId: string, clientId: string): Promise<void> {
    const client = await manager.findOneBy(ClientEntity, { agencyId, id: clientId });
    if (!client) throw new NotFoundError('Client', clientId);
    assertClientNotArchived(client);
  }

  private payload(user: UserEntity): AuthPayload {
    const { token, expiresAt } = this.tokens.issue({
      userId: user.id,
      agencyId: user.agencyId,
      role: user.role,
      clientId: user.clientId,
    });
    return { token, expiresAt, user: toUserModel(user) };
  }
}
