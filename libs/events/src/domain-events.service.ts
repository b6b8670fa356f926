import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { WebhookDeliveryEntity, WebhookEndpointEntity, type MetricImportKind, type WebhookEventType } from '@pilotage/database';
import { webhookPayloadOf, type DomainEvent } from './domain-event';
import {
  EventJobQueue,
  METRICS_CHANGED_JOB_OPTIONS,
  METRICS_CHANGED_QUEUE,
  RESTATEMENT_CHECK_QUEUE,
  WEBHOOK_DELIVERY_JOB_OPTIONS,
  WEBHOOK_DELIVERY_QUEUE,
  type MetricsChangedJob,
  type WebhookDeliveryJob,
} from './event-job-queue';

/** What an import or a sync chunk wrote, for its `import.completed` event. */
export interface MetricsImported {
  readonly clientId: string;
  readonly importId: string;
  readonly kind: MetricImportKind;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  /** The data connection of a SYNC import. */
  readonly connectionId?: string | null;
}

/**
 * The one way code announces what happened: inside the transaction of the change itself, so an
 * event exists if and only if its change committed (an outbox in pg-boss's tables). `emit`
 * records a delivery for every enabled endpoint of the agency subscribed to the event's type and
 * queues it; `metricsImported` also queues the client's debounced evaluation.
 */
@Injectable()
export class DomainEvents {
  constructor(
    private readonly queue: EventJobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async emit(manager: EntityManager, event: Omit<DomainEvent, 'id' | 'occurredAt'> & Partial<Pick<DomainEvent, 'id' | 'occurredAt'>>): Promise<DomainEvent> {
    const full: DomainEvent = { ...event, id: event.id ?? randomUUID(), occurredAt: event.occurredAt ?? new Date() };
    const endpoints = await manager
      .createQueryBuilder(WebhookEndpointEntity, 'endpoint')
      .select(['endpoint.agencyId', 'endpoint.id'])
      .where('endpoint.agencyId = :agencyId AND endpoint.enabled AND :type = ANY(endpoint.events)', { agencyId: full.agencyId, type: full.type })
      .getMany();
    const payload = { ...webhookPayloadOf(full) };
    for (const endpoint of endpoints) {
      const delivery = manager.create(WebhookDeliveryEntity, {
        agencyId: full.agencyId,
        id: randomUUID(),
        endpointId: endpoint.id,
        eventId: full.id,
        eventType: full.type,
        payload,
        status: 'PENDING',
      });
      await manager.save(delivery);
      const job: WebhookDeliveryJob = { agencyId: full.agencyId, deliveryId: delivery.id };
      await this.queue.send(manager, WEBHOOK_DELIVERY_QUEUE, job, WEBHOOK_DELIVERY_JOB_OPTIONS);
    }
    return full;
  }

  /** An import or a sync chunk committed values of a client: `import.completed`, then (when values changed) its alert evaluation and restatement check queued, debounced per client. */
  async metricsImported(manager: EntityManager, agencyId: string, imported: MetricsImported): Promise<void> {
    const type: WebhookEventType = 'import.completed';
    await this.emit(manager, {
      type,
      agencyId,
      clientId: imported.clientId,
      data: {
        importId: imported.importId,
        kind: imported.kind,
        inserted: imported.inserted,
        updated: imported.updated,
        unchanged: imported.unchanged,
        connectionId: imported.connectionId ?? null,
      },
    });
    if (imported.inserted + imported.updated === 0) return;
    const job: MetricsChangedJob = { agencyId, clientId: imported.clientId };
    const seconds = this.config.alerts.evaluationDebounceSeconds;
    await this.queue.sendDebounced(manager, METRICS_CHANGED_QUEUE, job, seconds, imported.clientId, METRICS_CHANGED_JOB_OPTIONS);
    await this.queue.sendDebounced(manager, RESTATEMENT_CHECK_QUEUE, job, seconds, imported.clientId, METRICS_CHANGED_JOB_OPTIONS);
  }
}
