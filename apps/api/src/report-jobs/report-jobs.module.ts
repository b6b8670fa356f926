import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReportsModule } from '../reports/reports.module';
import { REPORT_JOB_HANDLER_OPTIONS, ReportJobHandlers, type ReportJobHandlerOptions } from './report-job-handlers';
import { ReportJobQueue } from './report-job-queue';
import { ReportJobsResolver } from './report-jobs.resolver';
import { ReportJobsService } from './report-jobs.service';

/**
 * Report generation through pg-boss, used by both processes: the API sends jobs (GraphQL
 * mutations), the worker runs them. See {@link ReportJobQueue} for which database role each uses.
 */
@Module({})
export class ReportJobsModule {
  /** API: the GraphQL mutations and queries; pg-boss sends only, on the application's pool. */
  static forApi(): DynamicModule {
    return {
      module: ReportJobsModule,
      imports: [ReportsModule],
      providers: [
        { provide: ReportJobQueue, inject: [DataSource], useFactory: (dataSource: DataSource) => new ReportJobQueue({ kind: 'sender', dataSource }) },
        ReportJobsService,
        ReportJobsResolver,
      ],
      exports: [ReportJobsService],
    };
  }

  /** Worker: the job handlers and the schedule; pg-boss with the owner connection. */
  static forWorker(options: ReportJobHandlerOptions & { readonly ownerUrl: string }): DynamicModule {
    return {
      module: ReportJobsModule,
      imports: [ReportsModule],
      providers: [
        // Handlers at full concurrency, the schedule, the supervisor and a caller's sends at once.
        { provide: ReportJobQueue, useFactory: () => new ReportJobQueue({ kind: 'worker', ownerUrl: options.ownerUrl, poolSize: options.renderConcurrency + 3 }) },
        { provide: REPORT_JOB_HANDLER_OPTIONS, useValue: options },
        ReportJobsService,
        ReportJobHandlers,
      ],
      exports: [ReportJobsService, ReportJobQueue],
    };
  }
}
