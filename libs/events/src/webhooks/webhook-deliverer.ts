import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobWithMetadata } from 'pg-boss';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { isUuid, systemContext, TenantDatabase, WebhookDeliveryEntity, WebhookEndpointEntity } from '@pilotage/database';
import { EventJobQueue, WEBHOOK_DELIVERY_QUEUE, type WebhookDeliveryJob } from '../event-job-queue';
import { messageContext } from './webhook-endpoints.service';
import { webhookRequestOf, type WebhookRequest } from './webhook-request';
import { WebhookSecretVault } from './webhook-secrets';
import { postWebhook, type WebhookAttempt } from './webhook-sender';

export const WEBHOOK_DELIVERER_OPTIONS = Symbol('WEBHOOK_DELIVERER_OPTIONS');

export interface WebhookDelivererOptions {
  /** Deliveries sent at once by this process (most of a delivery's time is waiting for the receiver). */
  readonly concurrency: number;
  readonly pollingIntervalSeconds?: number;
}

/** What one run of a delivery job did. */
export type DeliveryOutcome = 'SUCCEEDED' | 'FAILED' | 'RETRYING' | 'ALREADY_DONE' | 'GONE';

export class WebhookDeliveryFailedError extends Error {
  constructor(deliveryId: string, attempt: WebhookAttempt) {
    super(`Webhook delivery ${deliveryId} failed (${attempt.error ?? 'unknown'}); pg-boss retries it`);
    this.name = 'WebhookDeliveryFailedError';
  }
}

function isDeliveryJob(data: unknown): data is WebhookDeliveryJob {
  if (typeof data !== 'object' || data === null || !('agencyId' in data) || !('deliveryId' in data)) return false;
  const { agencyId, deliveryId } = data;
  return typeof agencyId === 'string' && isUuid(agencyId) && typeof deliveryId === 'string' && isUuid(deliveryId);
}

/**
 * Sends webhook deliveries (the `webhooks.deliver` jobs DomainEvents queued in the event's own
 * transaction). A 2xx answer: SUCCEEDED. Anything else: the attempt is recorded (status code,
 * short error) and the job throws, so pg-boss retries it with WEBHOOK_DELIVERY_JOB_OPTIONS'
 * backoff; the last attempt marks it FAILED. An endpoint disabled or deleted: FAILED unsent.
 * The HTTP exchange happens outside any transaction (a slow receiver holds no connection).
 */
@Injectable()
export class WebhookDeliverer implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookDeliverer.name);

  constructor(
    private readonly queue: EventJobQueue,
    private readonly db: TenantDatabase,
    private readonly vault: WebhookSecretVault,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WEBHOOK_DELIVERER_OPTIONS) private readonly options: WebhookDelivererOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const boss = await this.queue.worker();
    await boss.work<unknown, { status: DeliveryOutcome }, { pollingIntervalSeconds: number; includeMetadata: true; localConcurrency: number }>(
      WEBHOOK_DELIVERY_QUEUE,
      { pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2, includeMetadata: true, localConcurrency: Math.max(1, this.options.concurrency) },
      ([job]) => this.run(job),
    );
  }

  private async run(job: JobWithMetadata<unknown> | undefined): Promise<{ status: DeliveryOutcome }> {
    if (job === undefined) return { status: 'GONE' };
    if (!isDeliveryJob(job.data)) throw new Error(`Malformed ${WEBHOOK_DELIVERY_QUEUE} job ${job.id}: expected { agencyId, deliveryId } uuids`);
    return { status: await this.deliver(job.data, { finalAttempt: job.retryCount >= job.retryLimit }) };
  }

  /**
   * One attempt of a delivery. Throws {@link WebhookDeliveryFailedError} when it failed and
   * another attempt will follow (`finalAttempt` false); tests call this directly to drive retries.
   */
  async deliver(job: WebhookDeliveryJob, options: { readonly finalAttempt: boolean }): Promise<DeliveryOutcome> {
    const tenant = systemContext(job.agencyId);
    const prepared = await this.db.runFor(tenant, async (manager) => {
      const delivery = await manager.findOneBy(WebhookDeliveryEntity, { agencyId: job.agencyId, id: job.deliveryId });
      if (delivery === null) return { outcome: 'GONE' as const };
      if (delivery.status !== 'PENDING') return { outcome: 'ALREADY_DONE' as const };
      const endpoint = await manager.findOneBy(WebhookEndpointEntity, { agencyId: job.agencyId, id: delivery.endpointId });
      if (endpoint === null || !endpoint.enabled) {
        await manager.update(
          WebhookDeliveryEntity,
          { agencyId: job.agencyId, id: delivery.id },
          { status: 'FAILED', lastError: 'the endpoint is disabled: not sent', lastAttemptAt: new Date() },
        );
        return { outcome: 'FAILED' as const };
      }
      const secret = this.vault.open(job.agencyId, endpoint.id, { ciphertext: endpoint.secretCiphertext, keyId: endpoint.secretKeyId });
      const clientId = typeof delivery.payload.clientId === 'string' ? delivery.payload.clientId : null;
      const { locale, clientName } = await messageContext(manager, job.agencyId, clientId);
      const data = typeof delivery.payload.data === 'object' && delivery.payload.data !== null ? (delivery.payload.data as Record<string, unknown>) : {};
      const request: WebhookRequest = webhookRequestOf({
        format: endpoint.format,
        secret,
        deliveryId: delivery.id,
        eventType: delivery.eventType,
        payload: { ...delivery.payload, type: delivery.eventType, data },
        locale,
        clientName,
      });
      return { outcome: 'SEND' as const, url: endpoint.url, request };
    });
    if (prepared.outcome !== 'SEND') return prepared.outcome;

    const attempt = await postWebhook({
      url: prepared.url,
      ...prepared.request,
      timeoutMs: this.config.webhooks.timeoutMs,
      allowPrivateNetworks: this.config.webhooks.allowPrivateNetworks,
    });
    const status = attempt.ok ? 'SUCCEEDED' : options.finalAttempt ? 'FAILED' : 'PENDING';
    await this.db.runFor(tenant, (manager) =>
      manager
        .createQueryBuilder()
        .update(WebhookDeliveryEntity)
        .set({
          status,
          attempts: () => 'attempts + 1',
          lastStatusCode: attempt.statusCode,
          lastError: attempt.error,
          lastAttemptAt: new Date(),
          deliveredAt: attempt.ok ? new Date() : null,
        })
        .where('agency_id = :agencyId AND id = :id AND status = :pending', { agencyId: job.agencyId, id: job.deliveryId, pending: 'PENDING' })
        .execute(),
    );
    if (attempt.ok) return 'SUCCEEDED';
    if (options.finalAttempt) {
      this.logger.warn(`Webhook delivery ${job.deliveryId} failed for good: ${attempt.error ?? 'unknown'}`);
      return 'FAILED';
    }
    throw new WebhookDeliveryFailedError(job.deliveryId, attempt);
  }
}
