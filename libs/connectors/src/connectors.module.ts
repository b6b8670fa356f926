import { type DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectionTokenVault } from './connection-tokens';
import { ConnectionsService } from './connections/connections.service';
import { ProviderRegistry } from './providers/provider-registry';
import { SYNC_JOB_HANDLER_OPTIONS, SyncJobHandlers } from './sync/sync-job-handlers';
import { SyncJobQueue } from './sync/sync-job-queue';
import { SyncRunner } from './sync/sync-runner';

/**
 * Data connections to the platforms. The API starts connections (OAuth), lists them and their
 * runs, and queues syncs; the worker runs the syncs and the daily schedule.
 */
@Module({})
export class ConnectorsModule {
  /** The API's part: starts, completes and revokes connections, and sends sync jobs from its tenant transactions. */
  static forApi(): DynamicModule {
    return {
      module: ConnectorsModule,
      providers: [
        ConnectionTokenVault,
        ProviderRegistry,
        { provide: SyncJobQueue, inject: [DataSource], useFactory: (dataSource: DataSource) => new SyncJobQueue({ kind: 'sender', dataSource }) },
        ConnectionsService,
      ],
      exports: [ConnectionTokenVault, ProviderRegistry, SyncJobQueue, ConnectionsService],
    };
  }

  /** The worker's part: runs sync jobs (`concurrency` at once) and the hourly schedule, on the queue role's pool. */
  static forWorker(options: {
    readonly queueUrl: string;
    readonly concurrency: number;
    /** Whether this worker registers the hourly cron (on by default). */
    readonly schedule?: boolean;
    /** Idle polling interval of the handlers, in seconds. */
    readonly pollingIntervalSeconds?: number;
  }): DynamicModule {
    return {
      module: ConnectorsModule,
      providers: [
        ConnectionTokenVault,
        ProviderRegistry,
        {
          provide: SyncJobQueue,
          useFactory: () =>
            new SyncJobQueue({ kind: 'worker', queueUrl: options.queueUrl, poolSize: options.concurrency + 2, applicationName: 'pilotage-worker-sync' }),
        },
        {
          provide: SYNC_JOB_HANDLER_OPTIONS,
          useValue: { concurrency: options.concurrency, schedule: options.schedule ?? true, pollingIntervalSeconds: options.pollingIntervalSeconds },
        },
        SyncRunner,
        SyncJobHandlers,
      ],
      exports: [ConnectionTokenVault, ProviderRegistry, SyncJobQueue, SyncRunner, SyncJobHandlers],
    };
  }
}
