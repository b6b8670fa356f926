import { type DynamicModule, Module } from '@nestjs/common';
import { EventJobQueue } from '../event-job-queue';
import { WEBHOOK_DELIVERER_OPTIONS, WebhookDeliverer } from './webhook-deliverer';
import { WebhookSecretVault } from './webhook-secrets';

/**
 * The worker's part of webhooks: sends the deliveries. Its own queue in worker mode (the queue
 * role's pool), beside the global EventJobQueue that sends jobs from tenant transactions.
 */
@Module({})
export class WebhooksWorkerModule {
  static forWorker(options: { readonly queueUrl: string; readonly concurrency?: number; readonly pollingIntervalSeconds?: number }): DynamicModule {
    const concurrency = options.concurrency ?? 4;
    return {
      module: WebhooksWorkerModule,
      providers: [
        {
          provide: EventJobQueue,
          useFactory: () =>
            new EventJobQueue({ kind: 'worker', queueUrl: options.queueUrl, poolSize: concurrency + 2, applicationName: 'pilotage-worker-webhooks' }),
        },
        { provide: WEBHOOK_DELIVERER_OPTIONS, useValue: { concurrency, pollingIntervalSeconds: options.pollingIntervalSeconds } },
        WebhookSecretVault,
        WebhookDeliverer,
      ],
      exports: [WebhookDeliverer],
    };
  }
}
