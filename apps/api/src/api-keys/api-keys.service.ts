import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { BadUserInputError, ConflictError, NotFoundError } from '@pilotage/common';
import {
  ApiKeyEntity,
  ClientEntity,
  countActiveApiKeys,
  currentTenant,
  isUuid,
  keysetPage,
  lockForTransaction,
  mapKeysetPage,
  recordAudit,
  TenantDatabase,
} from '@pilotage/database';
import { API_KEY_PREFIX, issueApiKey } from '../auth/api-key-secret';
import type { PageArgs } from '../common/pagination';
import type { ApiKey, ApiKeyConnection, CreatedApiKey } from './api-key.model';
import type { CreateApiKeyInput } from './dto/api-key.inputs';

/**
 * The agency's API keys, managed by its owners: created (the secret returned once, only its
 * SHA-256 kept), listed without secret or hash, revoked. Authenticating with a key is
 * ApiKeyAuthenticator's (auth/). Every change is audited.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly db: TenantDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const tenant = currentTenant();
    const now = new Date();
    if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
      throw BadUserInputError.forField('expiresAt', 'must be in the future');
    }
    return this.db.run(async (manager) => {
      const clientIds = input.clientIds ? await this.activeClients(manager, tenant.agencyId, input.clientIds) : null;
      // One agency's creations in turn, so that two at once cannot both pass the cap.
      await lockForTransaction(manager, `api-keys:${tenant.agencyId}`);
      const maximum = this.config.limits.apiKeysPerAgency;
      if ((await countActiveApiKeys(manager, tenant.agencyId, now)) >= maximum) {
        throw new ConflictError(`An agency may hold at most ${maximum} active API keys; revoke one it no longer uses first`, {
          reason: 'API_KEY_LIMIT',
          maximum,
        });
      }
      const issued = issueApiKey();
      const entity = manager.create(ApiKeyEntity, {
        agencyId: tenant.agencyId,
        id: randomUUID(),
        publicId: issued.publicId,
        name: input.name.trim(),
        secretHash: issued.secretHash,
        scopes: [...input.scopes],
        clientIds,
        createdBy: tenant.userId,
        expiresAt: input.expiresAt ?? null,
        lastUsedAt: null,
        revokedAt: null,
      });
      await manager.insert(ApiKeyEntity, entity);
      const saved = await manager.findOneByOrFail(ApiKeyEntity, { agencyId: tenant.agencyId, id: entity.id });
      await recordAudit(manager, {
        action: 'api_key.created',
        entityType: 'api_key',
        entityId: saved.id,
        data: { name: saved.name, prefix: prefixOf(saved), scopes: saved.scopes, clientIds: saved.clientIds, expiresAt: saved.expiresAt },
      });
      return { apiKey: toApiKeyModel(saved), secret: issued.key };
    });
  }

  async list(args: PageArgs): Promise<ApiKeyConnection> {
    const { agencyId } = currentTenant();
    return this.db.run(async (manager) => {
      const query = manager.createQueryBuilder(ApiKeyEntity, 'key').where('key.agencyId = :agencyId', { agencyId });
      return mapKeysetPage(await keysetPage(query, args, { alias: 'key', sortBy: 'createdAt', direction: 'DESC' }), toApiKeyModel);
    });
  }

  /** Revokes a key: refused from the next request on. Revoking a revoked key changes nothing. */
  async revoke(id: string): Promise<ApiKey> {
    const { agencyId } = currentTenant();
    return this.db.run(async (manager) => {
      const entity = isUuid(id) ? await manager.findOneBy(ApiKeyEntity, { agencyId, id }) : null;
      if (!entity) throw new NotFoundError('ApiKey', id);
      if (entity.revokedAt !== null) return toApiKeyModel(entity);
      entity.revokedAt = new Date();
      await manager.update(ApiKeyEntity, { agencyId, id }, { revokedAt: entity.revokedAt });
      await recordAudit(manager, { action: 'api_key.revoked', entityType: 'api_key', entityId: id, data: { name: entity.name, prefix: prefixOf(entity) } });
      return toApiKeyModel(entity);
    });
  }

  /** The ids given, each an active client of the agency; BAD_USER_INPUT naming each one that is not. */
  private async activeClients(manager: EntityManager, agencyId: string, ids: readonly string[]): Promise<string[]> {
    const found = await manager.findBy(ClientEntity, { agencyId, id: In([...ids]) });
    const byId = new Map(found.map((client) => [client.id, client]));
    const problems = ids.flatMap((id, index) => {
      const client = byId.get(id);
      if (!client) return [{ field: `clientIds.${index}`, message: `no client ${id} in this agency` }];
      if (client.archivedAt !== null) return [{ field: `clientIds.${index}`, message: `client "${client.name}" (${id}) is archived` }];
      return [];
    });
    if (problems.length > 0) {
      throw new BadUserInputError(problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '), problems);
    }
    return [...ids];
  }
}

function prefixOf(entity: Pick<ApiKeyEntity, 'publicId'>): string {
  return `${API_KEY_PREFIX}${entity.publicId}`;
}

function toApiKeyModel(entity: ApiKeyEntity): ApiKey {
  return {
    id: entity.id,
    name: entity.name,
    prefix: prefixOf(entity),
    scopes: [...entity.scopes],
    clientIds: entity.clientIds ? [...entity.clientIds] : null,
    createdBy: entity.createdBy,
    createdAt: entity.createdAt,
    expiresAt: entity.expiresAt,
    lastUsedAt: entity.lastUsedAt,
    revokedAt: entity.revokedAt,
  };
}
