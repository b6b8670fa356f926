import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { PgBoss, type Db, type SendOptions } from 'pg-boss';
import { DataSource, type EntityManager } from 'typeorm';

/** pg-boss's schema, installed by migration 1795380000000 (never `public`: jobs are not tenant data). */
export const JOB_SCHEMA = 'pgboss';

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
export const QUEUE_SUPERVISE_SECONDS = 10;

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

/**
 * pg-boss statements through TypeORM: a transaction's query runner (the tenant transaction) or a
 * fresh runner on the application's pool. Structured results, because a plain `query()` shapes
 * an UPDATE's result as `[rows, count]` and pg-boss expects `{ rows }` whatever the command.
 */
function typeormAdapter(source: EntityManager | DataSource): Db {
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      if (source instanceof DataSource) {
        const runner = source.createQueryRunner();
        try {
          return { rows: (await runner.query(text, values, true)).records };
        } finally {
          await runner.release();
        }
      }
      const runner = source.queryRunner;
      if (runner === undefined) throw new Error('Jobs are sent inside a transaction: this EntityManager has none');
      return { rows: (await runner.query(text, values, true)).records };
    },
  };
}

export type ReportJobQueueMode =
  /** API: inserts jobs only, through the application's own pool, as the non-owner role. */
  | { readonly kind: 'sender'; readonly dataSource: DataSource }
  /** Worker: runs handlers, the cron and pg-boss supervision as the queue role (DATABASE_QUEUE_URL). */
  | { readonly kind: 'worker'; readonly queueUrl: string; readonly poolSize: number };

/**
 * The job queue (pg-boss on the application's PostgreSQL, schema `pgboss`).
 *
 * Which role: the schema is installed and upgraded by the migrations (the owner, migration
 * 1795380000000). The worker runs pg-boss as the queue role, which has DML on pg-boss's tables
 * and nothing in `public` (migration 1795420000000), so it neither migrates nor creates the
 * schema, and does not rebuild indexes (REINDEX needs the owner). The API inserts jobs inside
 * the tenant transaction that created the report, as the tenant role, which may insert jobs
 * and read back their id, nothing more.
 */
export class ReportJobQueue implements OnModuleDestroy {
  private readonly logger = new Logger(ReportJobQueue.name);
  private readonly boss: PgBoss;
  private starting: Promise<PgBoss> | null = null;

  constructor(readonly mode: ReportJobQueueMode) {
    this.boss =
      mode.kind === 'sender'
        ? new PgBoss({
            db: typeormAdapter(mode.dataSource),
            schema: JOB_SCHEMA,
            migrate: false,
            createSchema: false,
            supervise: false,
            schedule: false,
          })
        : new PgBoss({
            connectionString: mode.queueUrl,
            application_name: 'pilotage-worker-jobs',
            max: mode.poolSize,
            schema: JOB_SCHEMA,
            migrate: false,
            createSchema: false,
            reindex: false,
            supervise: true,
            superviseIntervalSeconds: QUEUE_SUPERVISE_SECONDS,
            monitorIntervalSeconds: QUEUE_SUPERVISE_SECONDS,
            schedule: true,
          });
    this.boss.on('error', (error: Error) => this.logger.error(`pg-boss: ${error.message}`));
  }

  /** Starts pg-boss once (lazily in the API: a process that never sends never connects it). */
  start(): Promise<PgBoss> {
    this.starting ??= this.boss.start().catch((error: unknown) => {
      this.starting = null;
      throw error;
    });
    return this.starting;
  }

  /**
   * Enqueues the render of a report inside `manager`'s transaction: the job exists if and only
   * if the transaction commits. The report id is the singleton key of an `exclusive` queue, so
   * while a render of that report is queued, waiting for a retry or running, another send is a
   * no-op (null) — one job per report, whoever asks.
   */
  async sendRender(manager: EntityManager, job: RenderReportJob): Promise<string | null> {
    const boss = await this.start();
    return boss.send(RENDER_QUEUE, { ...job }, { ...RENDER_JOB_OPTIONS, singletonKey: job.reportId, db: typeormAdapter(manager) });
  }

  /** The started pg-boss, for the worker's `work()` and `schedule()` calls. */
  async worker(): Promise<PgBoss> {
    if (this.mode.kind !== 'worker') throw new Error('Only the worker runs job handlers');
    return this.start();
  }

  /**
   * Stops fetching, lets running handlers finish (up to 30 s), then closes the pool. On module
   * destroy, not application shutdown: Nest destroys importing modules before the modules they
   * import, so this runs before the reports module closes Chromium under a running render.
   */
  async onModuleDestroy(): Promise<void> {
    if (this.starting === null) return;
    await this.starting.catch(() => undefined);
    await this.boss.stop({ graceful: true, timeout: 30_000 });
  }
}
