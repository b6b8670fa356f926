import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { PgBoss, type Db, type SendOptions } from 'pg-boss';
import { DataSource, type EntityManager } from 'typeorm';

/** pg-boss's schema, installed by migration 1795380000000 (never `public`: jobs are not tenant data). */
export const JOB_SCHEMA = 'pgboss';

/**
 * How often a worker's pg-boss supervises its queues (fails jobs whose heartbeat stopped,
 * expires the hung ones) and monitors their sizes.
 */
export const QUEUE_SUPERVISE_SECONDS = 10;

/**
 * pg-boss statements through TypeORM: a transaction's query runner (the tenant transaction) or a
 * fresh runner on the application's pool. Structured results, because a plain `query()` shapes
 * an UPDATE's result as `[rows, count]` and pg-boss expects `{ rows }` whatever the command.
 */
export function typeormAdapter(source: EntityManager | DataSource): Db {
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

export type JobQueueMode =
  /** API: inserts jobs only, through the application's own pool, as the non-owner role. */
  | { readonly kind: 'sender'; readonly dataSource: DataSource }
  /** Worker: runs handlers, the cron and pg-boss supervision as the queue role (DATABASE_QUEUE_URL). */
  | { readonly kind: 'worker'; readonly queueUrl: string; readonly poolSize: number; readonly applicationName?: string };

/**
 * A job queue (pg-boss on the application's PostgreSQL, schema `pgboss`). Each feature that
 * has jobs (report rendering, data connection syncs) holds one, with its own pool.
 *
 * Which role: the schema is installed and upgraded by the migrations (the owner, migration
 * 1795380000000), queues are created by migrations too. The worker runs pg-boss as the queue
 * role, which has DML on pg-boss's tables and nothing in `public` (migration 1795420000000), so
 * it neither migrates nor creates the schema, and does not rebuild indexes (REINDEX needs the
 * owner). The API inserts jobs inside the tenant transaction of the change that asks for them,
 * as the tenant role, which may insert jobs and read back their id, nothing more.
 */
export class JobQueue implements OnModuleDestroy {
  private readonly logger = new Logger(JobQueue.name);
  private readonly boss: PgBoss;
  private starting: Promise<PgBoss> | null = null;

  constructor(readonly mode: JobQueueMode) {
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
            application_name: mode.applicationName ?? 'pilotage-worker-jobs',
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

  /** Enqueues a job inside `manager`'s transaction: it exists if and only if the transaction commits. */
  async send(manager: EntityManager, queue: string, data: object, options: SendOptions): Promise<string | null> {
    const boss = await this.start();
    return boss.send(queue, { ...data }, { ...options, db: typeormAdapter(manager) });
  }

  /**
   * Enqueues a job debounced on `key` inside `manager`'s transaction: at most one job per key and
   * slot of `seconds` (pg-boss `sendDebounced`: a send while the current slot's job waits goes to
   * the next slot), so a burst of sends ends in one or two runs, the last one after the burst.
   */
  async sendDebounced(manager: EntityManager, queue: string, data: object, seconds: number, key: string, options: SendOptions = {}): Promise<string | null> {
    const boss = await this.start();
    return boss.sendDebounced(queue, { ...data }, { ...options, db: typeormAdapter(manager) }, seconds, key);
  }

  /** The started pg-boss, for the worker's `work()` and `schedule()` calls. */
  async worker(): Promise<PgBoss> {
    if (this.mode.kind !== 'worker') throw new Error('Only the worker runs job handlers');
    return this.start();
  }

  /**
   * Stops fetching, lets running handlers finish (up to 30 s), then closes the pool. On module
   * destroy, not application shutdown: Nest destroys importing modules before the modules they
   * import, so this runs before a feature module closes what a running handler still uses.
   */
  async onModuleDestroy(): Promise<void> {
    if (this.starting === null) return;
    await this.starting.catch(() => undefined);
    await this.boss.stop({ graceful: true, timeout: 30_000 });
  }
}
