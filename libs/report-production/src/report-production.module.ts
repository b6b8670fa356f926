import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AnalyticsModule } from '@pilotage/analytics';
import { REPORT_JOB_HANDLER_OPTIONS, ReportJobHandlers, type ReportJobHandlerOptions } from './report-job-handlers';
import { ReportJobQueue } from './report-job-queue';
import { ReportJobsService } from './report-jobs.service';
import { ReportRendererService } from './report-renderer.service';
import { ReportSnapshotAssembler } from './report-snapshot.assembler';
import { reportStorageProvider, REPORT_STORAGE } from './report-storage.provider';
import { ReportsService } from './reports.service';
import { ReportDeliveryService } from './report-delivery.service';
import { RestatementDetector } from './restatement-detector';
import { RestatementJobHandlers } from './restatement-job-handlers';

const PRODUCTION_PROVIDERS = [
  ReportsService,
  ReportRendererService,
  ReportSnapshotAssembler,
  reportStorageProvider,
  ReportJobsService,
  RestatementDetector,
  ReportDeliveryService,
];
const PRODUCTION_EXPORTS = [
  ReportsService,
  ReportRendererService,
  ReportSnapshotAssembler,
  REPORT_STORAGE,
  ReportJobsService,
  ReportJobQueue,
  RestatementDetector,
  ReportDeliveryService,
];

/**
 * Report production: snapshot assembly, claim → freeze → render → store, the pg-boss queue,
 * the job handlers and the monthly schedule. Both processes use it: the API sends jobs (and
 * renders previews and edits), the worker runs them. See {@link ReportJobQueue} for which
 * database role each uses.
 */
@Module({})
export class ReportProductionModule {
  /** The API's side: pg-boss sends only, on the application's pool. */
  static forApi(): DynamicModule {
    return {
      module: ReportProductionModule,
      imports: [AnalyticsModule],
      providers: [
        ...PRODUCTION_PROVIDERS,
        { provide: ReportJobQueue, inject: [DataSource], useFactory: (dataSource: DataSource) => new ReportJobQueue({ kind: 'sender', dataSource }) },
      ],
      exports: PRODUCTION_EXPORTS,
    };
  }

  /** The worker's side: the job handlers and the schedule; pg-boss with the queue role's connection. */
  static forWorker(options: ReportJobHandlerOptions & { readonly queueUrl: string }): DynamicModule {
    return {
      module: ReportProductionModule,
      imports: [AnalyticsModule],
      providers: [
        ...PRODUCTION_PROVIDERS,
        // Handlers at full concurrency, the schedule, the supervisor and a caller's sends at once.
        {
          provide: ReportJobQueue,
          useFactory: () => new ReportJobQueue({ kind: 'worker', queueUrl: options.queueUrl, poolSize: options.renderConcurrency + 3 }),
        },
        { provide: REPORT_JOB_HANDLER_OPTIONS, useValue: options },
        ReportJobHandlers,
        RestatementJobHandlers,
      ],
      exports: PRODUCTION_EXPORTS,
    };
  }
}
