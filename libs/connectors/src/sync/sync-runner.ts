import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { settle, unwrap } from '@pilotage/common';
import {
  claimSyncRun,
  DataConnectionEntity,
  deleteValuesMissingFromPull,
  sourceHasValues,
  finishSyncRun,
  insertMetricImport,
  recordAudit,
  recordConnectionPull,
  recordSyncChunk,
  refreshMetricMonthly,
  runWithTenant,
  setConnectionStatus,
  systemContext,
  TenantDatabase,
  upsertMetricValues,
  type DataConnectionStatus,
  type MetricValueBatchTarget,
  type SyncRunEntity,
  type SyncRunOutcome,
} from '@pilotage/database';
import { DomainEvents } from '@pilotage/events';
import { ConnectionTokenVault } from '../connection-tokens';
import { ProviderError } from '../provider-error';
import type { ConnectionTokens, DataProviderConnector, DayRange, PullResult } from '../provider.types';
import { ProviderRegistry } from '../providers/provider-registry';
import type { SyncJob } from './sync-job-queue';
import { syncChunks } from './sync-window';
import { pulledValueColumns } from './pulled-values';

/** Corrections (old and new value) kept in a chunk's audit entry, as for an import; the counts are always exact. */
const MAX_AUDITED_CORRECTIONS = 1_000;

/**
 * `freshTokens` refreshes the tokens that expire within its margin of the instant it is given:
 * the last instant a Date can hold makes it refresh whatever expiry the platform announced.
 */
const FORCE_REFRESH = new Date(8.64e15);

/** Why a connection in this status cannot sync (the run fails at once, without asking the platform). */
const UNUSABLE_CONNECTION: Partial<Record<DataConnectionStatus, string>> = {
  PENDING: 'The connection is not authorized yet: open its connect link and consent first',
  NEEDS_REAUTHORIZATION: 'The connection must be authorized again (the platform refused its tokens): open a new connect link',
  REVOKED: 'The connection was disconnected: its values stay, but it no longer syncs',
};

/** The end of one attempt of a run; SKIPPED: the run was already finished (a job delivered twice). */
export interface SyncAttemptResult {
  readonly runId: string;
  readonly status: SyncRunOutcome['status'] | 'SKIPPED';
  readonly error: string | null;
}

/**
 * A transient failure the queue retries: the run is back to QUEUED with its error and the
 * connection FAILING; pg-boss retries the job with backoff (SYNC_JOB_OPTIONS).
 */
export class SyncRetryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncRetryError';
  }
}

/** Another attempt of the same run committed the chunk this one was writing (a worker presumed dead that was not). */
class ChunkTakenError extends Error {}

/**
 * Runs one sync run of a connection, chunk by chunk, under the agency's tenant. Each chunk is
 * pulled outside any transaction (no transaction stays open while a platform answers), then
 * written in ONE tenant transaction through the import path (upsert on the natural key with
 * the connection as source, removal of what the pull no longer reports in its days, monthly
 * roll-up, import history and audit) together with the run's progress and the connection's
 * `data_through`: a chunk commits whole or not at all, and a retry resumes at the first chunk
 * not committed.
 */
@Injectable()
export class SyncRunner {
  private readonly logger = new Logger(SyncRunner.name);

  constructor(
    private readonly db: TenantDatabase,
    private readonly vault: ConnectionTokenVault,
    private readonly providers: ProviderRegistry,
    private readonly events: DomainEvents,
  ) {}

  /**
   * One attempt of the run of `job`. Returns how it ended; throws {@link SyncRetryError} only
   * when the failure is transient and `lastAttempt` is false, for the queue to retry it.
   */
  run(job: SyncJob, attempt: { readonly lastAttempt: boolean }): Promise<SyncAttemptResult> {
    return runWithTenant(systemContext(job.agencyId), () => this.attempt(job, attempt.lastAttempt));
  }

  private async attempt(job: SyncJob, lastAttempt: boolean): Promise<SyncAttemptResult> {
    const claimed = await this.db.run(async (manager) => {
      const run = await claimSyncRun(manager, job.agencyId, job.runId);
      if (run === null) return null;
      const connection = await manager.findOneByOrFail(DataConnectionEntity, { agencyId: job.agencyId, id: run.connectionId });
      return { run, connection };
    });
    if (claimed === null) return { runId: job.runId, status: 'SKIPPED', error: null };
    const { run, connection } = claimed;

    const unusable = UNUSABLE_CONNECTION[connection.status];
    if (unusable !== undefined) return this.settle(run, connection, { status: 'FAILED', error: unusable }, null);

    let provider: DataProviderConnector | null = null;
    try {
      provider = this.providers.get(connection.provider);
      const chunks = syncChunks({ from: run.windowStart, to: run.windowEnd }, provider.chunkDays);
      // The next chunk is pulled while this one is written: the platform's latency and
      // PostgreSQL's work overlap (bench:sync). Pulls stay one at a time per connection.
      // A first backfill finds the source empty over its window: its chunks have nothing to
      // remove, and skip that step (a tenth of a backfill's database time, bench:sync). Any other
      // run, a resumed one included (its earlier chunks wrote values), compares every chunk.
      const window = { source: connection.source, from: run.windowStart, to: run.windowEnd, metricKeys: provider.metricKeys };
      const compare = await this.db.run((manager) => sourceHasValues(manager, connection, window));
      let next = run.chunksDone < chunks.length ? settle(this.pull(connection, provider, chunks[run.chunksDone])) : null;
      for (let index = run.chunksDone; index < chunks.length; index += 1) {
        const pulled = unwrap(await (next ?? settle(this.pull(connection, provider, chunks[index]))));
        next = index + 1 < chunks.length ? settle(this.pull(connection, provider, chunks[index + 1])) : null;
        await this.writeChunk(run, connection, provider, chunks[index], index, pulled, compare);
      }
      return await this.settle(run, connection, { status: 'SUCCEEDED', error: null }, 'ACTIVE');
    } catch (error) {
      // The other attempt owns the run now: it records the outcome, this one leaves it alone.
      if (error instanceof ChunkTakenError) return { runId: run.id, status: 'SKIPPED', error: null };
      const message = this.failureMessage(error, run, provider);
      if (error instanceof ProviderError && (error.kind === 'UNAUTHORIZED' || error.kind === 'FORBIDDEN')) {
        return this.settle(run, connection, { status: 'FAILED', error: message }, 'NEEDS_REAUTHORIZATION');
      }
      // Errors that are not the platform's (a database hiccup, a bug) are retried like an outage.
      const transient = !(error instanceof ProviderError) || error.transient;
      if (transient && !lastAttempt) {
        this.logger.warn(`Sync run ${run.id} (attempt ${run.attempts}) is retried by the queue: ${message}`);
        await this.settle(run, connection, { status: 'QUEUED', error: message }, 'FAILING');
        throw new SyncRetryError(message);
      }
      const attempts = transient ? ` (gave up after ${run.attempts} attempt${run.attempts === 1 ? '' : 's'})` : '';
      return this.settle(run, connection, { status: 'FAILED', error: `${message}${attempts}` }, 'FAILING');
    }
  }

  /** Writes one pulled chunk, with the run's progress, in one tenant transaction. */
  private async writeChunk(
    run: SyncRunEntity,
    connection: DataConnectionEntity,
    provider: DataProviderConnector,
    range: DayRange,
    index: number,
    pull: PullResult,
    compare: boolean,
  ): Promise<void> {
    const columns = pulledValueColumns(pull.values, { platform: provider.platform, source: connection.source, range });
    await this.db.run(async (manager) => {
      const target: MetricValueBatchTarget = { agencyId: connection.agencyId, clientId: connection.clientId, importId: randomUUID(), enteredBy: null };
      const written = await upsertMetricValues(manager, target, columns, MAX_AUDITED_CORRECTIONS);
      // The pull is the truth of its days: a campaign-day it no longer reports was restated away.
      const removed = !compare
        ? { deleted: 0, touchedMonths: [] }
        : await deleteValuesMissingFromPull(
            manager,
            target,
            { source: connection.source, from: range.from, to: range.to, metricKeys: provider.metricKeys },
            columns,
          );
      await refreshMetricMonthly(manager, target, new Set([...written.touchedMonths, ...removed.touchedMonths]));
      const rows = columns.metricKeys.length;
      await insertMetricImport(manager, target, {
        kind: 'SYNC',
        fileName: null,
        status: 'COMMITTED',
        rows,
        inserted: written.inserted,
        updated: written.updated,
        unchanged: written.unchanged,
        errors: { count: 0, truncated: false, first: [] },
        connectionId: connection.id,
      });
      await recordAudit(manager, {
        action: 'metric_values.imported',
        entityType: 'metric_import',
        entityId: target.importId,
        data: {
          clientId: connection.clientId,
          kind: 'SYNC',
          connectionId: connection.id,
          syncRunId: run.id,
          from: range.from,
          to: range.to,
          inserted: written.inserted,
          updated: written.updated,
          unchanged: written.unchanged,
          deleted: removed.deleted,
          corrections: written.corrections,
          correctionsTruncated: written.updated > written.corrections.length,
        },
      });
      const counts = { rows, inserted: written.inserted, updated: written.updated, unchanged: written.unchanged, deleted: removed.deleted };
      if (!(await recordSyncChunk(manager, run, index, counts))) {
        // Another attempt of this run committed the chunk (a worker presumed dead was not): roll back, count nothing twice.
        throw new ChunkTakenError(`Sync run ${run.id}: chunk ${index + 1} (${range.from} to ${range.to}) was already written by another attempt`);
      }
      await recordConnectionPull(manager, connection, range);
      // Last in the chunk's transaction: a chunk taken by another attempt (rolled back above) announces nothing.
      await this.events.metricsImported(manager, connection.agencyId, {
        clientId: connection.clientId,
        importId: target.importId,
        kind: 'SYNC',
        inserted: written.inserted,
        // Values the platform restated away changed the client's figures as much as updated ones (and must trigger the evaluation).
        updated: written.updated + removed.deleted,
        unchanged: written.unchanged,
        connectionId: connection.id,
      });
    });
  }

  /**
   * Pulls with fresh tokens (refreshed before they expire, the new ones saved at once so that a
   * failed chunk does not lose them). A platform that refuses an access token the connection
   * believed valid (revoked early, a clock ahead) gets one refresh and one more try: only a
   * refused refresh means the grant is gone.
   */
  private async pull(connection: DataConnectionEntity, provider: DataProviderConnector, range: DayRange): Promise<PullResult> {
    const tokens = this.vault.usableTokens(connection) ?? (await this.db.run((manager) => this.vault.freshTokens(manager, connection, provider.oauth)));
    try {
      return await provider.pull({ accountId: connection.accountId, accessToken: tokens.accessToken, range });
    } catch (error) {
      if (!(error instanceof ProviderError) || error.kind !== 'UNAUTHORIZED' || tokens.refreshToken === null) throw error;
      const refreshed: ConnectionTokens = await this.db.run((manager) => this.vault.freshTokens(manager, connection, provider.oauth, FORCE_REFRESH));
      return provider.pull({ accountId: connection.accountId, accessToken: refreshed.accessToken, range });
    }
  }

  /**
   * The error in words for the agency. A ProviderError's message is written for it (the platform
   * named, never a token); anything else is logged here and summarized, since its text was
   * written for engineers.
   */
  private failureMessage(error: unknown, run: SyncRunEntity, provider: DataProviderConnector | null): string {
    if (error instanceof ProviderError) return error.message;
    this.logger.error(`Sync run ${run.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return `${provider?.platform ?? 'The sync'}: the sync failed on Pilotage's side; it is retried automatically`;
  }

  /** Records how the attempt ended: the run's status and error, and the connection's (null: unchanged). */
  private async settle(
    run: SyncRunEntity,
    connection: DataConnectionEntity,
    outcome: SyncRunOutcome,
    connectionStatus: 'ACTIVE' | 'FAILING' | 'NEEDS_REAUTHORIZATION' | null,
  ): Promise<SyncAttemptResult> {
    await this.db.run(async (manager) => {
      await finishSyncRun(manager, run, outcome);
      if (connectionStatus !== null) await setConnectionStatus(manager, connection, connectionStatus, outcome.error);
    });
    return { runId: run.id, status: outcome.status, error: outcome.error };
  }
}
