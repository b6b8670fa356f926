import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '@pilotage/common';
import {
  AgencyEntity,
  ClientEntity,
  currentTenant,
  isUuid,
  keysetPage,
  type KeysetPage,
  type KeysetPageRequest,
  lockForTransaction,
  recordAudit,
  TenantDatabase,
  type TenantContext,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_FORMATS,
  WebhookDeliveryEntity,
  WebhookEndpointEntity,
  type WebhookEventType,
  type WebhookFormat,
} from '@pilotage/database';
import type { Locale } from '@pilotage/kpi';
import { webhookRequestOf } from './webhook-request';
import { WebhookSecretVault } from './webhook-secrets';
import { postWebhook, type WebhookAttempt } from './webhook-sender';
import { newWebhookSecret } from './webhook-signature';

/** URLs longer than this are refused: no receiver needs more, and it bounds what a row holds. */
const MAX_URL_LENGTH = 2048;
const MAX_DESCRIPTION_LENGTH = 500;

export interface CreateWebhookEndpointInput {
  readonly url: string;
  readonly format: WebhookFormat;
  readonly events: readonly string[];
  readonly description?: string | null;
}

export interface UpdateWebhookEndpointInput {
  readonly url?: string | null;
  readonly events?: readonly string[] | null;
  readonly enabled?: boolean | null;
  readonly description?: string | null;
}

/**
 * An agency's outbound webhook endpoints: created, changed, deleted and their secrets rotated
 * by owners (a secret is shown once, when made); read and test-sent by owners and managers.
 * Viewers and API keys: nothing (FORBIDDEN). Secrets are sealed ({@link WebhookSecretVault})
 * before they reach a row and are returned only by create and rotate.
 */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly vault: WebhookSecretVault,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async createWebhookEndpoint(input: CreateWebhookEndpointInput): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const tenant = assertRole(['OWNER'], 'create webhook endpoints');
    const url = this.validUrl(input.url);
    if (!(WEBHOOK_FORMATS as readonly string[]).includes(input.format))
      throw BadUserInputError.forField('format', `must be one of ${WEBHOOK_FORMATS.join(', ')}`);
    const events = validEvents(input.events);
    const description = validDescription(input.description);
    const secret = newWebhookSecret();
    return this.db.run(async (manager) => {
      // The agency's endpoints in turn, so that two creations at once cannot both pass the limit.
      await lockForTransaction(manager, `webhook-endpoints:${tenant.agencyId}`);
      const count = await manager.countBy(WebhookEndpointEntity, { agencyId: tenant.agencyId });
      const maximum = this.config.webhooks.endpointsPerAgency;
      if (count >= maximum)
        throw new ConflictError(`An agency may have at most ${maximum} webhook endpoints; delete one first`, { reason: 'WEBHOOK_ENDPOINT_LIMIT', maximum });
      const id = randomUUID();
      const sealed = this.vault.seal(tenant.agencyId, id, secret);
      await manager.insert(WebhookEndpointEntity, {
        agencyId: tenant.agencyId,
        id,
        url,
        format: input.format,
        events,
        description,
        secretCiphertext: sealed.ciphertext,
        secretKeyId: sealed.keyId,
        enabled: true,
        createdBy: tenant.userId,
      });
      await recordAudit(manager, { action: 'webhook_endpoint.created', entityType: 'webhook_endpoint', entityId: id, data: { format: input.format, events } });
      return { endpoint: await manager.findOneByOrFail(WebhookEndpointEntity, { agencyId: tenant.agencyId, id }), secret };
    });
  }

  async updateWebhookEndpoint(id: string, input: UpdateWebhookEndpointInput): Promise<WebhookEndpointEntity> {
    const tenant = assertRole(['OWNER'], 'change webhook endpoints');
    const changes: Partial<WebhookEndpointEntity> = {};
    if (input.url !== undefined && input.url !== null) changes.url = this.validUrl(input.url);
    if (input.events !== undefined && input.events !== null) changes.events = validEvents(input.events);
    if (input.enabled !== undefined && input.enabled !== null) changes.enabled = input.enabled;
    if (input.description !== undefined) changes.description = validDescription(input.description);
    return this.db.run(async (manager) => {
      const endpoint = await findEndpoint(manager, tenant, id);
      if (Object.keys(changes).length === 0) return endpoint;
      await manager.update(WebhookEndpointEntity, { agencyId: tenant.agencyId, id: endpoint.id }, { ...changes, updatedAt: new Date() });
      await recordAudit(manager, {
        action: 'webhook_endpoint.updated',
        entityType: 'webhook_endpoint',
        entityId: endpoint.id,
        data: { fields: Object.keys(changes) },
      });
      return manager.findOneByOrFail(WebhookEndpointEntity, { agencyId: tenant.agencyId, id: endpoint.id });
    });
  }

  /** Deletes the endpoint and its delivery log; its pending deliveries then fail without being sent. */
  async deleteWebhookEndpoint(id: string): Promise<string> {
    const tenant = assertRole(['OWNER'], 'delete webhook endpoints');
    return this.db.run(async (manager) => {
      const endpoint = await findEndpoint(manager, tenant, id);
      await manager.delete(WebhookEndpointEntity, { agencyId: tenant.agencyId, id: endpoint.id });
      await recordAudit(manager, { action: 'webhook_endpoint.deleted', entityType: 'webhook_endpoint', entityId: endpoint.id });
      return endpoint.id;
    });
  }

  /** A new secret, effective at once for every delivery sent from now on (retries included); the old one stops signing. */
  async rotateWebhookSecret(id: string): Promise<{ endpoint: WebhookEndpointEntity; secret: string }> {
    const tenant = assertRole(['OWNER'], 'rotate webhook secrets');
    const secret = newWebhookSecret();
    return this.db.run(async (manager) => {
      const endpoint = await findEndpoint(manager, tenant, id);
      const sealed = this.vault.seal(tenant.agencyId, endpoint.id, secret);
      await manager.update(
        WebhookEndpointEntity,
        { agencyId: tenant.agencyId, id: endpoint.id },
        { secretCiphertext: sealed.ciphertext, secretKeyId: sealed.keyId, updatedAt: new Date() },
      );
      await recordAudit(manager, { action: 'webhook_endpoint.secret_rotated', entityType: 'webhook_endpoint', entityId: endpoint.id });
      return { endpoint: await manager.findOneByOrFail(WebhookEndpointEntity, { agencyId: tenant.agencyId, id: endpoint.id }), secret };
    });
  }

  async webhookEndpoints(page: KeysetPageRequest): Promise<KeysetPage<WebhookEndpointEntity>> {
    const tenant = assertRole(['OWNER', 'MANAGER'], 'read webhook endpoints');
    return this.db.run((manager) =>
      keysetPage(manager.createQueryBuilder(WebhookEndpointEntity, 'endpoint').where('endpoint.agencyId = :agencyId', { agencyId: tenant.agencyId }), page, {
        alias: 'endpoint',
        sortBy: 'createdAt',
        direction: 'DESC',
      }),
    );
  }

  async webhookEndpoint(id: string): Promise<WebhookEndpointEntity> {
    const tenant = assertRole(['OWNER', 'MANAGER'], 'read webhook endpoints');
    return this.db.run((manager) => findEndpoint(manager, tenant, id));
  }

  /** The endpoint's delivery log, newest first. */
  async webhookDeliveries(endpointId: string, page: KeysetPageRequest): Promise<KeysetPage<WebhookDeliveryEntity>> {
    const tenant = assertRole(['OWNER', 'MANAGER'], 'read webhook deliveries');
    return this.db.run(async (manager) => {
      const endpoint = await findEndpoint(manager, tenant, endpointId);
      const query = manager
        .createQueryBuilder(WebhookDeliveryEntity, 'delivery')
        .where('delivery.agencyId = :agencyId AND delivery.endpointId = :endpointId', { agencyId: tenant.agencyId, endpointId: endpoint.id });
      return keysetPage(query, page, { alias: 'delivery', sortBy: 'createdAt', direction: 'DESC' });
    });
  }

  /**
   * Sends a synthetic `{ type: 'test' }` payload now, through the same signing and sending path
   * as deliveries (it is not logged as one), and says how it went. Works on a disabled endpoint:
   * checking a receiver before enabling it is the point.
   */
  async testWebhookEndpoint(id: string): Promise<WebhookAttempt> {
    const tenant = assertRole(['OWNER', 'MANAGER'], 'test webhook endpoints');
    const { endpoint, secret, locale } = await this.db.run(async (manager) => {
      const found = await findEndpoint(manager, tenant, id);
      const agency = await manager.findOneBy(AgencyEntity, { id: tenant.agencyId });
      return {
        endpoint: found,
        secret: this.vault.open(tenant.agencyId, found.id, { ciphertext: found.secretCiphertext, keyId: found.secretKeyId }),
        locale: agency?.defaultLocale ?? 'fr',
      };
    });
    const deliveryId = randomUUID();
    const payload = { id: randomUUID(), type: 'test', occurredAt: new Date().toISOString(), agencyId: tenant.agencyId, clientId: null, data: {} };
    const request = webhookRequestOf({ format: endpoint.format, secret, deliveryId, eventType: 'test', payload, locale, clientName: null });
    return postWebhook({
      url: endpoint.url,
      ...request,
      timeoutMs: this.config.webhooks.timeoutMs,
      allowPrivateNetworks: this.config.webhooks.allowPrivateNetworks,
    });
  }

  /** https, or http where private networks are allowed (tests, an intranet); no credentials in the URL. */
  private validUrl(text: string): string {
    const trimmed = text.trim();
    if (trimmed.length > MAX_URL_LENGTH) throw BadUserInputError.forField('url', `must be at most ${MAX_URL_LENGTH} characters`);
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw BadUserInputError.forField('url', 'is not a valid absolute URL');
    }
    const httpAllowed = this.config.webhooks.allowPrivateNetworks && !this.config.isProduction;
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && httpAllowed)) throw BadUserInputError.forField('url', 'must use https');
    if (url.username !== '' || url.password !== '')
      throw BadUserInputError.forField('url', 'must not hold credentials (user:password@); use the signing secret');
    return url.toString();
  }
}

/** Clients' names and languages, for Slack messages. */
export async function messageContext(
  manager: EntityManager,
  agencyId: string,
  clientId: string | null,
): Promise<{ locale: Locale; clientName: string | null }> {
  const client = clientId === null || !isUuid(clientId) ? null : await manager.findOneBy(ClientEntity, { agencyId, id: clientId });
  if (client !== null) return { locale: client.locale, clientName: client.name };
  const agency = await manager.findOneBy(AgencyEntity, { id: agencyId });
  return { locale: agency?.defaultLocale ?? 'fr', clientName: null };
}

function assertRole(roles: readonly TenantContext['role'][], what: string): TenantContext {
  const tenant = currentTenant();
  if (!roles.includes(tenant.role)) throw new ForbiddenError(`Only the agency’s ${roles.map((role) => role.toLowerCase() + 's').join(' and ')} may ${what}`);
  return tenant;
}

async function findEndpoint(manager: EntityManager, tenant: TenantContext, id: string): Promise<WebhookEndpointEntity> {
  const endpoint = isUuid(id) ? await manager.findOneBy(WebhookEndpointEntity, { agencyId: tenant.agencyId, id }) : null;
  if (endpoint === null) throw new NotFoundError('Webhook endpoint', id);
  return endpoint;
}

function validEvents(events: readonly string[]): WebhookEventType[] {
  if (events.length === 0) throw BadUserInputError.forField('events', `subscribe to at least one of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  const unknown = events.filter((event) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(event));
  if (unknown.length > 0) throw BadUserInputError.forField('events', `unknown event type(s) ${unknown.join(', ')}; known: ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  return WEBHOOK_EVENT_TYPES.filter((type) => events.includes(type));
}

function validDescription(description: string | null | undefined): string | null {
  const trimmed = description?.trim() ?? '';
  if (trimmed.length > MAX_DESCRIPTION_LENGTH) throw BadUserInputError.forField('description', `must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
  return trimmed === '' ? null : trimmed;
}
