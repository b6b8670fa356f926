import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainEvents } from './domain-events.service';
import { EventJobQueue } from './event-job-queue';
import { WebhookEndpointsService } from './webhooks/webhook-endpoints.service';
import { WebhookSecretVault } from './webhooks/webhook-secrets';

/**
 * Domain events and outbound webhooks. Global: the libs that announce events (ingestion, the
 * sync engine, reports, alerts) inject DomainEvents wherever their module is imported.
 */
@Global()
@Module({})
export class EventsModule {
  /** Sends jobs from the process's own pool (the API, or a worker's tenant transactions). */
  static forRoot(): DynamicModule {
    return {
      module: EventsModule,
      providers: [
        { provide: EventJobQueue, inject: [DataSource], useFactory: (dataSource: DataSource) => new EventJobQueue({ kind: 'sender', dataSource }) },
        DomainEvents,
        WebhookSecretVault,
        WebhookEndpointsService,
      ],
      exports: [EventJobQueue, DomainEvents, WebhookSecretVault, WebhookEndpointsService],
    };
  }
}
