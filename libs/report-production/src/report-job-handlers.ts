import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobWithMetadata, PgBoss } from 'pg-boss';
import { isUuid } from '@pilotage/database';
import { ReportsService } from './reports.service';
import { RENDER_HEARTBEAT_REFRESH_SECONDS, RENDER_QUEUE, ReportJobQueue, SCHEDULE_QUEUE, type RenderReportJob } from './report-job-queue';
import { ReportRendererService } from './report-renderer.service';
import { ReportJobsService } from './report-jobs.service';
import { ReportDeliveryService } from './report-delivery.service';

/** Options of the worker's handlers, set by the process that runs them. */
export interface ReportJobHandlerOptions {
  /**
   * Render jobs this process runs at once ("lanes"). More than the Chromium page pool's pages
   * (see ReportWorkerModule): while one job reads its snapshot from the database, another one's
   * HTML is already waiting for the page the previous render frees.
   */
  readonly renderConcurrency: number;
  /** Whether this process registers the hourly schedule tick (one cron row per database whatever the count of workers). */
  readonly schedule: boolean;
  /** How often an idle worker polls for jobs, in seconds (pg-boss minimum 0.5). */
  readonly pollingIntervalSeconds?: number;
}

export const REPORT_JOB_HANDLER_OPTIONS = Symbol('REPORT_JOB_HANDLER_OPTIONS');

/** Minute 7 of every hour, UTC: the due rule itself reads each client's time zone. */
export const SCHEDULE_CRON = '7 * * * *';

/**
 * A lane that found a job tells every lane (itself included) to fetch again without waiting out
 * the polling interval: an idle lane fetches at once, a busy one as soon as its job is done. A
 * pg-boss worker otherwise sleeps `pollingIntervalSeconds` minus its job's duration after every
 * job, so with 2 s polling and ~0.3 s renders each lane idled ~85 % of a batch (issue 12: 0.99
 * reports/s through the API and worker vs 6.89/s for the bare page pool). The wake-up lasts one
 * fetch: a lane whose fetch comes back empty sleeps the normal interval again, so an idle worker
 * polls no more than before. (pg-boss's own `burstWhenBatchFull` needs batchSize > 1, which
 * would hold jobs a lane cannot start yet; `burstWhenReadyExceeds` reads queue statistics
 * refreshed every supervision pass, seconds late for a batch.)
 */
export function wakeLanes(boss: Pick<PgBoss, 'notifyWorker'>, lanes: readonly string[]): void {
  for (const lane of lanes) boss.notifyWorker(lane);
}

function isRenderReportJob(data: unknown): data is RenderReportJob {
  if (typeof data !== 'object' || data === null || !('agencyId' in data) || !('reportId' in data)) return false;
  const { agencyId, reportId } = data;
  return typeof agencyId === 'string' && isUuid(agencyId) && typeof reportId === 'string' && isUuid(reportId);
}

/**
 * The worker's side of the queue: renders reports (and delivers a scheduled one at once when its
 * client is in AUTOMATIC delivery mode) and runs the hourly schedule tick. Both
 * handlers can run twice without harm: renderReport returns a report that is already READY
 * unchanged, and the tick skips clients whose report for the month (or week) exists.
 */
@Injectable()
export class ReportJobHandlers implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReportJobHandlers.name);

  constructor(
    private readonly queue: ReportJobQueue,
    private readonly reports: ReportsService,
    private readonly jobs: ReportJobsService,
    @Inject(REPORT_JOB_HANDLER_OPTIONS) private readonly options: ReportJobHandlerOptions,
    private readonly renderer: ReportRendererService,
    private readonly delivery: ReportDeliveryService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The browser launches beside the queue's start, not on the first job.
    const [boss] = await Promise.all([this.queue.worker(), this.renderer.warmUp()]);
    const pollingIntervalSeconds = this.options.pollingIntervalSeconds ?? 2;
    // One pg-boss worker per lane (not one `work()` with localConcurrency): `work()` answers only
    // the first worker's id, and each lane's id is needed to wake it (below).
    const lanes: string[] = [];
    for (let lane = 0; lane < Math.max(1, this.options.renderConcurrency); lane += 1) {
      const id = await boss.work<unknown, { status: string }, { pollingIntervalSeconds: number; includeMetadata: true; heartbeatRefreshSeconds: number }>(
        RENDER_QUEUE,
        // With its metadata, a job tells whether the queue will retry it (retryCount < retryLimit).
        { pollingIntervalSeconds, includeMetadata: true, heartbeatRefreshSeconds: RENDER_HEARTBEAT_REFRESH_SECONDS },
        ([job]) => {
          wakeLanes(boss, lanes);
          return this.render(job);
        },
      );
      lanes.push(id);
    }
    await boss.work<unknown>(SCHEDULE_QUEUE, { pollingIntervalSeconds }, () => this.scheduleTick());
    if (this.options.schedule) await boss.schedule(SCHEDULE_QUEUE, SCHEDULE_CRON, null, { tz: 'UTC' });
  }

  /** Throws on failure: pg-boss then retries with backoff, and after the last retry the report stays FAILED. */
  async render(job: JobWithMetadata<unknown> | undefined): Promise<{ status: string }> {
    if (job === undefined) return { status: 'NO_JOB' };
    if (!isRenderReportJob(job.data)) throw new Error(`Malformed ${RENDER_QUEUE} job ${job.id}: expected { agencyId, reportId } uuids`);
    const report = await this.reports.renderReport(job.data.agencyId, job.data.reportId, { retryPending: job.retryCount < job.retryLimit });
    if (report.status !== 'READY') return { status: report.status };
    try {
      return { status: (await this.delivery.deliverIfAutomatic(report.agencyId, report.id)).status };
    } catch (error) {
      // The render succeeded: a refused or failed e-mail (logged in report_deliveries) must not
      // make the queue render again. The report stays APPROVED for a manager to send.
      this.logger.warn(`Automatic delivery of report ${report.id} failed: ${error instanceof Error ? error.message : String(error)}`);
      return { status: 'DELIVERY_FAILED' };
    }
  }

  async scheduleTick(): Promise<{ requested: number }> {
    const { monthly, weekly } = await this.jobs.requestDueReports(new Date());
    if (monthly + weekly > 0) this.logger.log(`Scheduled ${monthly} monthly and ${weekly} weekly report(s)`);
    return { requested: monthly + weekly };
  }
}
