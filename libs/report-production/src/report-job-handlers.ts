import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobWithMetadata } from 'pg-boss';
import { isUuid } from '@pilotage/database';
import { ReportsService } from './reports.service';
import { RENDER_HEARTBEAT_REFRESH_SECONDS, RENDER_QUEUE, ReportJobQueue, SCHEDULE_QUEUE, type RenderReportJob } from './report-job-queue';
import { ReportJobsService } from './report-jobs.service';

/** Options of the worker's handlers, set by the process that runs them. */
export interface ReportJobHandlerOptions {
  /** Renders run at once in this process: the Chromium page pool's size (more would only queue in it). */
  readonly renderConcurrency: number;
  /** Whether this process registers the hourly schedule tick (one cron row per database whatever the count of workers). */
  readonly schedule: boolean;
  /** How often an idle worker polls for jobs, in seconds (pg-boss minimum 0.5). */
  readonly pollingIntervalSeconds?: number;
}

export const REPORT_JOB_HANDLER_OPTIONS = Symbol('REPORT_JOB_HANDLER_OPTIONS');

/** Minute 7 of every hour, UTC: the due rule itself reads each client's time zone. */
export const SCHEDULE_CRON = '7 * * * *';

function isRenderReportJob(data: unknown): data is RenderReportJob {
  if (typeof data !== 'object' || data === null || !('agencyId' in data) || !('reportId' in data)) return false;
  const { agencyId, reportId } = data;
  return typeof agencyId === 'string' && isUuid(agencyId) && typeof reportId === 'string' && isUuid(reportId);
}

/**
 * The worker's side of the queue: renders reports and runs the hourly schedule tick. Both
 * handlers can run twice without harm: renderReport returns a report that is already READY
 * unchanged, and the tick skips clients whose report for the month exists.
 */
@Injectable()
export class ReportJobHandlers implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReportJobHandlers.name);

  constructor(
    private readonly queue: ReportJobQueue,
    private readonly reports: ReportsService,
    private readonly jobs: ReportJobsService,
    @Inject(REPORT_JOB_HANDLER_OPTIONS) private readonly options: ReportJobHandlerOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const boss = await this.queue.worker();
    const pollingIntervalSeconds = this.options.pollingIntervalSeconds ?? 2;
    await boss.work<
      unknown,
      { status: string },
      { localConcurrency: number; pollingIntervalSeconds: number; includeMetadata: true; heartbeatRefreshSeconds: number }
    >(
      RENDER_QUEUE,
      // With its metadata, a job tells whether the queue will retry it (retryCount < retryLimit).
      {
        localConcurrency: this.options.renderConcurrency,
        pollingIntervalSeconds,
        includeMetadata: true,
        heartbeatRefreshSeconds: RENDER_HEARTBEAT_REFRESH_SECONDS,
      },
      ([job]) => this.render(job),
    );
    await boss.work<unknown>(SCHEDULE_QUEUE, { pollingIntervalSeconds }, () => this.scheduleTick());
    if (this.options.schedule) await boss.schedule(SCHEDULE_QUEUE, SCHEDULE_CRON, null, { tz: 'UTC' });
  }

  /** Throws on failure: pg-boss then retries with backoff, and after the last retry the report stays FAILED. */
  async render(job: JobWithMetadata<unknown> | undefined): Promise<{ status: string }> {
    if (job === undefined) return { status: 'NO_JOB' };
    if (!isRenderReportJob(job.data)) throw new Error(`Malformed ${RENDER_QUEUE} job ${job.id}: expected { agencyId, reportId } uuids`);
    const report = await this.reports.renderReport(job.data.agencyId, job.data.reportId, { retryPending: job.retryCount < job.retryLimit });
    return { status: report.status };
  }

  async scheduleTick(): Promise<{ requested: number }> {
    const requested = await this.jobs.requestDueMonthlyReports(new Date());
    if (requested > 0) this.logger.log(`Scheduled ${requested} monthly report(s)`);
    return { requested };
  }
}
