import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { DatabaseModule } from '@pilotage/database';
import { EventsModule } from '@pilotage/events';
import { ReportProductionModule } from './report-production.module';
import { REPORT_RENDER_POOL_SIZE } from './report-renderer.service';

/** Render jobs a worker runs at once: two per page of its Chromium pool (see below). */
export const REPORT_RENDER_LANES = 2 * REPORT_RENDER_POOL_SIZE;

@Module({})
class ReportWorkerConfigModule {}

export interface ReportWorkerOptions {
  /** The non-owner role's URL: every unit of tenant work (row-level security applies). */
  readonly databaseUrl: string;
  /** The queue role's URL, for pg-boss (its own tables and their supervision; nothing in `public`). */
  readonly queueUrl: string;
  /** Whether this worker registers the hourly schedule (on by default). */
  readonly schedule?: boolean;
  /** Idle polling interval of the job handlers, in seconds. */
  readonly pollingIntervalSeconds?: number;
  /**
   * Other job features this worker runs beside reports (the data connection syncs of
   * libs/connectors): given by the process that starts the worker, so this lib needs none of them.
   */
  readonly features?: readonly DynamicModule[];
}

/**
 * A report worker: rendering and scheduled jobs, as a Nest application context (no HTTP).
 * Both the worker app and the demo (which runs one in its own process) start this, so that
 * neither imports the other.
 */
@Module({})
export class ReportWorkerModule {
  static forRoot(config: AppConfig, options: ReportWorkerOptions): DynamicModule {
    return {
      module: ReportWorkerModule,
      imports: [
        { module: ReportWorkerConfigModule, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
        LoggerModule.forRoot({ pinoHttp: { level: config.logLevel } }),
        DatabaseModule.forRoot({
          url: options.databaseUrl,
          poolSize: config.databasePoolSize,
          applicationName: 'pilotage-worker',
          statementTimeoutMs: config.limits.workerStatementTimeoutMs,
        }),
        EventsModule.forRoot(),
        ReportProductionModule.forWorker({
          queueUrl: options.queueUrl,
          // Two jobs per page of the pool: while one lane claims its report, assembles its snapshot
          // from the database and stores its PDF (~20 ms of database and Node work a report, issue
          // 12), the other's HTML is already queued for the page, so Chromium never waits for
          // PostgreSQL. No more: a job waiting in the pool holds a job another worker could take.
          renderConcurrency: REPORT_RENDER_LANES,
          schedule: options.schedule ?? true,
          pollingIntervalSeconds: options.pollingIntervalSeconds,
        }),
        ...(options.features ?? []),
      ],
    };
  }
}
