import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { AccountTokenEntity, AgencyEntity, runWithTenant, systemContext, TenantDatabase, UserEntity, type AccountTokenPurpose } from '@pilotage/database';
import { BadUserInputError } from '@pilotage/common';
import type { AccountEmailKind } from './account-email.template';
import { AccountMailer } from './account.mailer';
import { TokenService } from './token.service';

/** A token row, locked, and its user, handed to the work that uses the token. */
export interface RedeemedAccountToken {
  readonly row: AccountTokenEntity;
  readonly user: UserEntity;
}

const INVALID_TOKEN = 'this link is invalid, expired or was already used: ask for a new one';

/**
 * The e-mailed tokens: a JWT signed with the API's secret (so it carries the agency to look in
 * and cannot be forged), whose `jti` is a row of `account_tokens` (so it works once), with an
 * expiry in both. Redeeming locks the row, so two concurrent uses cannot both succeed.
 */
@Injectable()
export class AccountTokenService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly tokens: TokenService,
    private readonly mailer: AccountMailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Creates a token for `user` (inside its agency's tenant transaction) and returns the e-mail
   * to send once the transaction committed: sending earlier could mail a token that a rollback
   * then voids.
   */
  async create(
    manager: EntityManager,
    user: UserEntity,
    purpose: AccountTokenPurpose,
    email: string,
    kind: AccountEmailKind,
  ): Promise<{ send: () => Promise<void>; expiresAt: Date }> {
    const agency = await manager.findOneByOrFail(AgencyEntity, { id: user.agencyId });
    const row = manager.create(AccountTokenEntity, {
      agencyId: user.agencyId,
      id: randomUUID(),
      userId: user.id,
      purpose,
      email,
      expiresAt: new Date(Date.now() + this.config.accountTokenTtlSeconds * 1000),
      usedAt: null,
    });
    await manager.insert(AccountTokenEntity, row);
    const token = this.tokens.issueAccount({ agencyId: user.agencyId, userId: user.id, tokenId: row.id, purpose }, row.expiresAt);
    const link = this.mailer.link(purpose === 'RESET_PASSWORD' ? 'reset-password' : 'verify-email');
    const send = (): Promise<void> =>
      this.mailer.send(email, { kind, locale: agency.defaultLocale, agencyName: agency.name, link, token, expiresAt: row.expiresAt });
    return { send, expiresAt: row.expiresAt };
  }

  /**
   * Runs `work` with the token's row (locked) and user, in the token's agency, then marks the
   * token used in the same transaction. BAD_USER_INPUT on `token` when it is forged, expired,
   * used or for another purpose; if `work` throws, the token stays usable.
   */
  async redeem<T>(token: string, purpose: AccountTokenPurpose, work: (manager: EntityManager, redeemed: RedeemedAccountToken) => Promise<T>): Promise<T> {
    const claims = this.tokens.verifyAccount(token, purpose);
    if (!claims) throw BadUserInputError.forField('token', INVALID_TOKEN);
    return runWithTenant({ ...systemContext(claims.agencyId), userId: claims.userId }, () =>
      this.db.run(async (manager) => {
        const row = await manager.findOne(AccountTokenEntity, {
          where: { agencyId: claims.agencyId, id: claims.tokenId },
          lock: { mode: 'pessimistic_write' },
        });
        if (!row || row.usedAt !== null || row.userId !== claims.userId || row.purpose !== purpose || row.expiresAt.getTime() <= Date.now()) {
          throw BadUserInputError.forField('token', INVALID_TOKEN);
        }
        const user = await manager.findOneBy(UserEntity, { agencyId: claims.agencyId, id: claims.userId });
        if (!user?.passwordHash) throw BadUserInputError.forField('token', INVALID_TOKEN);
        const result = await work(manager, { row, user });
        await manager.update(AccountTokenEntity, { agencyId: row.agencyId, id: row.id }, { usedAt: new Date() });
        return result;
      }),
    );
  }
}
