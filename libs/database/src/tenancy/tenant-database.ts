import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { ErrorCode, LimitExceededError } from '@pilotage/common';
import { currentTenant, type TenantContext } from './tenant-context';

/**
 * The non-owner role every unit of tenant work switches to. It has no BYPASSRLS and owns no
 * table, so the row-level security policies always apply to it. Created by the migrations.
 */
export const TENANT_ROLE = 'pilotage_tenant';

/** SQLSTATE of a statement cancelled by statement_timeout (query_canceled). */
const QUERY_CANCELED = '57014';

export interface TenantDatabaseOptions {
  /**
   * `statement_timeout` of every statement of a unit of tenant work, in ms (set with
   * `set_config(..., true)`: local to the transaction). Each process picks its own: the API's
   * requests read in milliseconds, the worker's snapshots may take longer. Unset: the server's.
   */
  readonly statementTimeoutMs?: number;
}

/**
 * The one path to tenant data. Each unit of work is a transaction that:
 *  1. sets `app.agency_id` with `set_config(..., true)` — local to the transaction, so a pooled
 *     connection handed to the next request carries nothing over;
 *  2. `SET LOCAL ROLE pilotage_tenant`, because superusers and table owners bypass RLS;
 *  3. sets `statement_timeout` (when configured), so one request cannot hold a connection and a
 *     core of the database for long: a cancelled statement becomes a QUERY_TIMEOUT error;
 * and hands out that transaction's EntityManager. Repositories injected elsewhere would run on
 * another pooled connection without the tenant and (by design) see nothing.
 */
export class TenantDatabase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: TenantDatabaseOptions = {},
  ) {}

  /** Runs `work` for the tenant of the current context (AsyncLocalStorage). */
  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.runFor(currentTenant(), work);
  }

  /** Runs `work` for an explicit tenant (used by the code that establishes the context). */
  async runFor<T>(tenant: TenantContext, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.bounded(() =>
      this.dataSource.transaction(async (manager) => {
        await this.enterTenantRole(manager, tenant);
        return work(manager);
      }),
    );
  }

  /**
   * A transaction as the tenant role with NO tenant set: every tenant-owned table is empty to it
   * (the policies fail closed). Only the login directory, readable by design, answers. Used to
   * find which agency an e-mail or invitation belongs to before anyone is authenticated.
   */
  async runWithoutTenant<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.bounded(() =>
      this.dataSource.transaction(async (manager) => {
        await this.enterTenantRole(manager, null);
        return work(manager);
      }),
    );
  }

  /**
   * One round trip for every setting of the unit of work, all local to the transaction: the
   * tenant (none: the policies fail closed), the statement timeout (the session's own when none is configured)
   * and the role — `set_config('role', ...)` is `SET LOCAL ROLE`, with the same membership check.
   */
  private async enterTenantRole(manager: EntityManager, tenant: TenantContext | null = null): Promise<void> {
    const timeoutMs = this.options.statementTimeoutMs;
    await manager.query(
      `SELECT set_config('app.agency_id', $1, true), set_config('app.user_id', $2, true), set_config('statement_timeout', coalesce($3, current_setting('statement_timeout')), true), set_config('role', $4, true)`,
      [tenant?.agencyId ?? '', tenant?.userId ?? '', timeoutMs === undefined ? null : String(Math.round(timeoutMs)), TENANT_ROLE],
    );
  }

  /** Turns a statement cancelled by statement_timeout into a coded error that says so. */
  private async bounded<T>(transaction: () => Promise<T>): Promise<T> {
    try {
      return await transaction();
    } catch (error) {
      if (this.options.statementTimeoutMs !== undefined && isQueryCanceled(error)) {
        throw new LimitExceededError(
          ErrorCode.QUERY_TIMEOUT,
          `The database took longer than ${this.options.statementTimeoutMs} ms for this request and stopped it; ask for less (fewer KPIs, a shorter span)`,
          { timeoutMs: this.options.statementTimeoutMs },
        );
      }
      throw error;
    }
  }

  /** The underlying DataSource, for work that is not tenant data (health checks, auth lookups). */
  get source(): DataSource {
    return this.dataSource;
  }
}

function isQueryCanceled(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError: unknown = error.driverError;
  return typeof driverError === 'object' && driverError !== null && 'code' in driverError && driverError.code === QUERY_CANCELED;
}
