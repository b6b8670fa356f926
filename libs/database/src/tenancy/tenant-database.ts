import { type DataSource, type EntityManager } from 'typeorm';
import { currentTenant, type TenantContext } from './tenant-context';

/**
 * The non-owner role every unit of tenant work switches to. It has no BYPASSRLS and owns no
 * table, so the row-level security policies always apply to it. Created by the migrations.
 */
export const TENANT_ROLE = 'pilotage_tenant';

/**
 * The one path to tenant data. Each unit of work is a transaction that:
 *  1. sets `app.agency_id` with `set_config(..., true)` — local to the transaction, so a pooled
 *     connection handed to the next request carries nothing over;
 *  2. `SET LOCAL ROLE pilotage_tenant`, because superusers and table owners bypass RLS;
 * and hands out that transaction's EntityManager. Repositories injected elsewhere would run on
 * another pooled connection without the tenant and (by design) see nothing.
 */
export class TenantDatabase {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` for the tenant of the current context (AsyncLocalStorage). */
  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.runFor(currentTenant(), work);
  }

  /** Runs `work` for an explicit tenant (used by the code that establishes the context). */
  async runFor<T>(tenant: TenantContext, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT set_config('app.agency_id', $1, true), set_config('app.user_id', $2, true)`, [tenant.agencyId, tenant.userId ?? '']);
      await manager.query(`SET LOCAL ROLE ${TENANT_ROLE}`);
      return work(manager);
    });
  }

  /**
   * A transaction as the tenant role with NO tenant set: every tenant-owned table is empty to it
   * (the policies fail closed). Only the login directory, readable by design, answers. Used to
   * find which agency an e-mail or invitation belongs to before anyone is authenticated.
   */
  async runWithoutTenant<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL ROLE ${TENANT_ROLE}`);
      return work(manager);
    });
  }

  /** The underlying DataSource, for work that is not tenant data (health checks, auth lookups). */
  get source(): DataSource {
    return this.dataSource;
  }
}
