import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'pg-boss';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { IsNull } from 'typeorm';
import { AgencyEntity, ClientEntity, isUuid, JobQueue, listAgencyIds, runWithTenant, systemContext, TenantDatabase } from '@pilotage/database';
import { METRICS_CHANGED_JOB_OPTIONS, METRICS_CHANGED_QUEUE, type MetricsChangedJob } from '@pilotage/events';
import { localDate } from '@pilotage/kpi';
import { AlertDigest, localHour } from './alert-digest';
import { AlertEvaluator, type AlertEvaluationResult } from './alert-evaluator';

/** The hourly tick of the daily evaluation (cron, exclusive queue). */
export const ALERTS_DAILY_QUEUE = 'alerts.daily';
/** The hourly tick of the digest e-mails (cron, exclusive queue). */
export const ALERTS_DIGEST_QUEUE = 'alerts.digest';
/** Minute 37 of every hour, UTC: away from the reports' minute 7 and the syncs' minute 17 (their values are in by then). */
export const ALERTS_DAILY_CRON = '37 * * * *';
/** Minute 52: the digest follows the daily evaluation of the same hour. */
export const ALERTS_DIGEST_CRON = '52 * * * *';

export const ALERT_JOB_HANDLER_OPTIONS = Symbol('ALERT_JOB_HANDLER_OPTIONS');

export interface AlertJobHandlerOptions {
  /** Whether this process registers the crons (one cron row per database whatever the count of workers). */
  readonly schedule: boolean;
  readonly pollingIntervalSeconds?: number;
}

/** The queue the alert handlers work on (the worker's queue role). */
export class AlertJobQueue extends JobQueue {}

function isMetricsChangedJob(data: unknown): data is MetricsChangedJob {
  if (typeof data !== 'object' || data === null || !('agencyId' in data) || !('clientId' in data)) return false;
  const { agencyId, clientId } = data;
  const today: unknown = 'today' in data ? data.today : undefined;
  return (
    typeof agencyId === 'string' &&
    isUuid(agencyId) &&
    typeof clientId === 'string' &&
    isUuid(clientId) &&
    (today === undefined || (typeof today === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(today)))
  );
}

/**
 * Evaluations a worker runs at once. Each is ~24 ms of database work (bench:alerts); two keep a
 * worker's pool busy without starving its syncs and renders. The daily run's jobs spread over
 * every worker's lanes.
 */
export const ALERT_EVALUATION_CONCURRENCY = 2;

/**
 * The worker's side of the alerts:
 * - `metrics.changed` (debounced per client after an import or sync commit) → the client's evaluation;
 * - `alerts.daily`, an hourly tick: an agency's active clients get one evaluation job each (on the
 *   `metrics.changed` queue, run by every worker's lanes) in the tick of the hour ALERT_DIGEST_HOUR
 *   of the agency's time zone, once a day (a KPI that stops receiving data has
 *   no import to trigger it: only the daily run sees NO_DATA and the month's pacing move);
 * - `alerts.digest`, an hourly tick 15 minutes later: the digest e-mails of the same agencies (AlertDigest).
 * All can run twice without harm: the evaluation is idempotent, the digest tells each alert once a day.
 */
@Injectable()
export class AlertJobHandlers implements OnApplicationBootstrap {
  private readonly logger = new Logger(AlertJobHandlers.name);

  constructor(
    private readonly queue: AlertJobQueue,
    private readonly evaluator: AlertEvaluator,
    private readonly digest: AlertDigest,
    private readonly db: TenantDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ALERT_JOB_HANDLER_OPTIONS) private readonly options: AlertJobHandlerOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const boss = await this.queue.worker();
    const pollingIntervalSeconds = this.options.pollingIntervalSeconds ?? 2;
    await boss.work<unknown, AlertEvaluationResult>(
      METRICS_CHANGED_QUEUE,
      { pollingIntervalSeconds, localConcurrency: ALERT_EVALUATION_CONCURRENCY },
      ([job]) => this.metricsChanged(job),
    );
    await boss.work<unknown>(ALERTS_DAILY_QUEUE, { pollingIntervalSeconds }, () => this.dailyTick(new Date()));
    await boss.work<unknown>(ALERTS_DIGEST_QUEUE, { pollingIntervalSeconds }, () => this.digest.sendDue(new Date()));
    if (this.options.schedule) {
      await boss.schedule(ALERTS_DAILY_QUEUE, ALERTS_DAILY_CRON, null, { tz: 'UTC' });
      await boss.schedule(ALERTS_DIGEST_QUEUE, ALERTS_DIGEST_CRON, null, { tz: 'UTC' });
    }
  }

  metricsChanged(job: Job<unknown> | undefined): Promise<AlertEvaluationResult> {
    if (job === undefined) throw new Error(`${METRICS_CHANGED_QUEUE}: no job given`);
    if (!isMetricsChangedJob(job.data)) throw new Error(`Malformed ${METRICS_CHANGED_QUEUE} job ${job.id}: expected { agencyId, clientId } uuids`);
    return this.evaluator.evaluateClient(job.data.agencyId, job.data.clientId, job.data.today);
  }

  /**
   * Queues the evaluation of every active client of the agencies whose local hour (the agency's
   * time zone, as ALERT_DIGEST_HOUR is documented) is ALERT_DIGEST_HOUR at `now`: once a day per
   * agency, each client judged at its own local date (carried by its job).
   */
  async dailyTick(now: Date): Promise<{ queued: number }> {
    const agencyIds = await this.db.runWithoutTenant((manager) => listAgencyIds(manager));
    let queued = 0;
    for (const agencyId of agencyIds) {
      try {
        queued += await runWithTenant(systemContext(agencyId), () =>
          this.db.run(async (manager) => {
            const agency = await manager.findOneByOrFail(AgencyEntity, { id: agencyId });
            if (localHour(now, agency.timeZone) !== this.config.alerts.digestHour) return 0;
            const clients = await manager.find(ClientEntity, { where: { agencyId, archivedAt: IsNull() }, select: { id: true, timeZone: true } });
            // One job per client, in this transaction: the evaluations spread over every worker's
            // lanes (bench:alerts: 55 clients/s a lane; 200,000 clients at one local hour would
            // not fit in that hour in this job). The key keeps a repeated tick from queueing a client twice
            // while its evaluation waits; a run twice is harmless anyway (the evaluation is idempotent).
            for (const client of clients) {
              const today = localDate(now, client.timeZone);
              const job: MetricsChangedJob = { agencyId, clientId: client.id, today };
              await this.queue.send(manager, METRICS_CHANGED_QUEUE, job, { ...METRICS_CHANGED_JOB_OPTIONS, singletonKey: `daily:${client.id}:${today}` });
            }
            return clients.length;
          }),
        );
      } catch (error) {
        // One agency's failure does not stop the others' evaluations.
        this.logger.error(`Daily alert evaluation of agency ${agencyId} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { queued };
  }
}
