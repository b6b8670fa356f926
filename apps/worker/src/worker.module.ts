import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { DatabaseModule } from '@pilotage/database';
import { REPORT_RENDER_POOL_SIZE, ReportProductionModule } from '@pilotage/report-production';

@Module({})
class WorkerConfigModule {}

export interface WorkerOptions {
  /** The non-owner role's URL: every unit of tenant work (row-level security applies). */
  readonly databaseUrl: string;
  /** The schema owner's URL, for pg-boss (its own tables and their maintenance). */
  readonly ownerUrl: string;
  /** Whether this worker registers the hourly schedule (on by default). */
  readonly schedule?: boolean;
  /** Idle polling interval of the job handlers, in seconds. */
  readonly pollingIntervalSeconds?: number;
}

/** The worker: report rendering and scheduled jobs, as a Nest application context (no HTTP). */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, options: WorkerOptions): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        { module: WorkerConfigModule, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
        LoggerModule.forRoot({ pinoHttp: { level: config.logLevel } }),
        DatabaseModule.forRoot({ url: options.databaseUrl, poolSize: config.databasePoolSize, applicationName: 'pilotage-worker' }),
        ReportProductionModule.forWorker({
          ownerUrl: options.ownerUrl,
          // As many renders at once as the page pool has pages: more would only wait inside the pool
          // while holding jobs another worker could take.
          renderConcurrency: REPORT_RENDER_POOL_SIZE,
          schedule: options.schedule ?? true,
          pollingIntervalSeconds: options.pollingIntervalSeconds,
        }),
      ],
    };
  }
}
