import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'pg-boss';
import { isUuid } from '@pilotage/database';
import { RESTATEMENT_CHECK_QUEUE, type MetricsChangedJob } from '@pilotage/events';
import { REPORT_JOB_HANDLER_OPTIONS, type ReportJobHandlerOptions } from './report-job-handlers';
import { ReportJobQueue } from './report-job-queue';
import { RestatementDetector } from './restatement-detector';

function isMetricsChangedJob(data: unknown): data is MetricsChangedJob {
  if (typeof data !== 'object' || data === null || !('agencyId' in data) || !('clientId' in data)) return false;
  const { agencyId, clientId } = data;
  return typeof agencyId === 'string' && isUuid(agencyId) && typeof clientId === 'string' && isUuid(clientId);
}

/**
 * The worker's side of restatements.check (queued by DomainEvents.metricsImported, debounced per
 * client): one check of the client's rendered reports. Throws on failure so that pg-boss retries
 * (METRICS_CHANGED_JOB_OPTIONS); a retry records nothing twice (RestatementDetector).
 */
@Injectable()
export class RestatementJobHandlers implements OnApplicationBootstrap {
  private readonly logger = new Logger(RestatementJobHandlers.name);

  constructor(
    private readonly queue: ReportJobQueue,
    private readonly detector: RestatementDetector,
    @Inject(REPORT_JOB_HANDLER_OPTIONS) private readonly options: ReportJobHandlerOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const boss = await this.queue.worker();
    const pollingIntervalSeconds = this.options.pollingIntervalSeconds ?? 2;
    await boss.work<unknown>(RESTATEMENT_CHECK_QUEUE, { pollingIntervalSeconds }, ([job]) => this.check(job));
  }

  async check(job: Job<unknown> | undefined): Promise<{ recorded: number }> {
    if (job === undefined) return { recorded: 0 };
    if (!isMetricsChangedJob(job.data)) throw new Error(`Malformed ${RESTATEMENT_CHECK_QUEUE} job ${job.id}: expected { agencyId, clientId } uuids`);
    const recorded = await this.detector.checkClient(job.data.agencyId, job.data.clientId);
    if (recorded.length > 0) this.logger.log(`Recorded ${recorded.length} restatement(s) for client ${job.data.clientId}`);
    return { recorded: recorded.length };
  }
}
