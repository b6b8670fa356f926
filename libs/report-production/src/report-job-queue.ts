import type { SendOptions } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { JobQueue } from '@pilotage/database';

export { JOB_SCHEMA, QUEUE_SUPERVISE_SECONDS, type JobQueueMode as ReportJobQueueMode } from '@pilotage/database';

/** Renders one report: `ReportsService.renderReport(agencyId, reportId)`. */
export const RENDER_QUEUE = 'report.render';
/** The hourly tick that requests every client's due monthly report. */
export const SCHEDULE_QUEUE = 'report.schedule';

/** A render job's payload: ids only, the handler reads everything else under the tenant. */
export interface RenderReportJob {
  readonly agencyId: string;
  readonly reportId: string;
}

/**
 * How a dead worker's render is noticed: its pg-boss heartbeat (`heartbeat_on`, refreshed every
 * {@link RENDER_HEARTBEAT_REFRESH_SECONDS} by the live worker's `work()`) stops, and after
 * {@link RENDER_HEARTBEAT_SECONDS} without one, the next supervision pass of any other worker
 * (every {@link QUEUE_SUPERVISE_SECONDS}) fails the job, which is retried ~2 s later: at most
 * 30 + 10 + ~3 s after the death. The report's own claim (reports.service.ts,
 * STALE_RENDERING_SECONDS) goes stale sooner than the earliest retry (25 s after the death), so
 * the retry can claim the report.
 */
export const RENDER_HEARTBEAT_SECONDS = 30;
export const RENDER_HEARTBEAT_REFRESH_SECONDS = 5;

/**
 * Retries of a render: 5 attempts, the wait doubling from about 2 s (pg-boss adds jitter, see
 * `retryBackoff` in pg-boss's QueueOptions) up to a minute, so a Chromium crash costs seconds
 * and a longer outage a few minutes. A worker that dies is caught by the heartbeat (above); an
 * attempt that hangs in a live worker is failed (and retried) after 5 minutes, well over the
 * renderer's own 30 s timeout.
 */
export const RENDER_JOB_OPTIONS: Readonly<SendOptions> = {
  retryLimit: 4,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 60,
  expireInSeconds: 300,
  heartbeatSeconds: RENDER_HEARTBEAT_SECONDS,
};

/** The report render queue (see {@link JobQueue} for the roles). */
export class ReportJobQueue extends JobQueue {
  /**
   * Enqueues the render of a report inside `manager`'s transaction: the job exists if and only
   * if the transaction commits. The report id is the singleton key of an `exclusive` queue, so
   * while a render of that report is queued, waiting for a retry or running, another send is a
   * no-op (null) — one job per report, whoever asks.
   */
  async sendRender(manager: EntityManager, job: RenderReportJob): Promise<string | null> {
    return this.send(manager, RENDER_QUEUE, job, { ...RENDER_JOB_OPTIONS, singletonKey: job.reportId });
  }
}
