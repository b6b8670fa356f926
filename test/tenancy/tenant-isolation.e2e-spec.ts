import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import {
  AgencyEntity,
  ClientEntity,
  createDataSource,
  NoTenantContextError,
  runWithTenant,
  systemContext,
  TenantDatabase,
  TENANT_ROLE,
} from '@pilotage/database';
import { ownerPool, testDatabase } from '../support/test-database';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

/**
 * Isolation is enforced by PostgreSQL itself. These tests talk to the database as the
 * application does — the non-owner LOGIN role through TenantDatabase — with a pool of 2
 * connections, and check from outside with the owner.
 */
describe(TenantDatabase.name, () => {
  let dataSource: DataSource;
  let db: TenantDatabase;
  let owner: Pool;

  async function seedAgency(name: string): Promise<{ agencyId: string; clientId: string }> {
    const agencyId = randomUUID();
    const clientId = randomUUID();
    await runWithTenant(systemContext(agencyId), () =>
      db.run(async (manager) => {
        await manager.insert(AgencyEntity, { id: agencyId, name, slug: `${name.toLowerCase()}-${agencyId.slice(0, 8)}` });
        await manager.insert(ClientEntity, {
          agencyId,
          id: clientId,
          name: `${name} client`,
          businessModel: 'ECOMMERCE',
          locale: 'fr',
          currency: 'EUR',
          timeZone: 'Europe/Paris',
          reportRecipients: [],
        });
      }),
    );
    return { agencyId, clientId };
  }

  beforeAll(async () => {
    dataSource = createDataSource({ url: testDatabase().appUrl, poolSize: 2 });
    await dataSource.initialize();
    db = new TenantDatabase(dataSource);
    owner = ownerPool();
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await dataSource.destroy();
    await owner.end();
  }, TEARDOWN_TIMEOUT_MS);

  it('refuses a unit of work outside a tenant context', async () => {
    await expect(db.run((manager) => manager.find(ClientEntity))).rejects.toBeInstanceOf(NoTenantContextError);
  });

  it('shows no tenant rows to the tenant role when no tenant is set (the policy fails closed)', async () => {
    await seedAgency('Closed');
    const rows = await db.runWithoutTenant((manager) => manager.query('SELECT count(*)::int AS n FROM clients'));
    expect(rows[0].n).toBe(0);
    const agencies = await db.runWithoutTenant((manager) => manager.query('SELECT count(*)::int AS n FROM agencies'));
    expect(agencies[0].n).toBe(0);
    // Proof that the rows exist: the owner sees them.
    const all = await owner.query('SELECT count(*)::int AS n FROM clients');
    expect(all.rows[0].n).toBeGreaterThan(0);
  });

  it('shows nothing to a plain connection of the app role that skipped the tenant helper', async () => {
    const raw = await dataSource.query('SELECT count(*)::int AS n FROM clients');
    expect(raw[0].n).toBe(0);
  });

  it('stops agency B from reading, updating or deleting agency A’s rows by id, even with hand-written SQL', async () => {
    const a = await seedAgency('Alpha');
    const b = await seedAgency('Bravo');
    await runWithTenant(systemContext(b.agencyId), () =>
      db.run(async (manager) => {
        expect(await manager.findOneBy(ClientEntity, { agencyId: a.agencyId, id: a.clientId })).toBeNull();
        const read = await manager.query('SELECT * FROM clients WHERE id = $1', [a.clientId]);
        expect(read).toHaveLength(0);
        const [, updated] = await manager.query(`UPDATE clients SET name = 'pwned' WHERE id = $1`, [a.clientId]);
        expect(updated).toBe(0);
        const [, deleted] = await manager.query('DELETE FROM clients WHERE agency_id = $1', [a.agencyId]);
        expect(deleted).toBe(0);
        const agencyRead = await manager.query('SELECT * FROM agencies WHERE id = $1', [a.agencyId]);
        expect(agencyRead).toHaveLength(0);
      }),
    );
    const check = await owner.query('SELECT name FROM clients WHERE id = $1', [a.clientId]);
    expect(check.rows).toEqual([{ name: 'Alpha client' }]);
  });

  it('refuses to write a row into another agency (WITH CHECK)', async () => {
    const a = await seedAgency('Charlie');
    const b = await seedAgency('Delta');
    await expect(
      runWithTenant(systemContext(b.agencyId), () =>
        db.run((manager) =>
          manager.query(
            `INSERT INTO clients (agency_id, id, name, business_model, locale, currency, time_zone)
             VALUES ($1, $2, 'intruder', 'SAAS', 'fr', 'EUR', 'UTC')`,
            [a.agencyId, randomUUID()],
          ),
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      runWithTenant(systemContext(b.agencyId), () =>
        db.run((manager) => manager.query(`UPDATE clients SET agency_id = $1 WHERE agency_id = $2`, [a.agencyId, b.agencyId])),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('never mixes tenants when many interleave on a pool of 2 connections', async () => {
    const tenants = await Promise.all(Array.from({ length: 12 }, (_, i) => seedAgency(`Conc${i}`)));
    const seen = await Promise.all(
      tenants.flatMap((tenant) =>
        Array.from({ length: 8 }, () =>
          runWithTenant(systemContext(tenant.agencyId), () =>
            db.run(async (manager) => {
              const [{ agency }] = await manager.query(`SELECT current_setting('app.agency_id') AS agency`);
              // Yield inside the transaction so other units of work queue for the 2 connections.
              await new Promise((resolve) => setImmediate(resolve));
              const clients: Array<{ agency_id: string; id: string }> = await manager.query('SELECT agency_id, id FROM clients');
              return { expected: tenant, agency: agency as string, clients };
            }),
          ),
        ),
      ),
    );
    for (const result of seen) {
      expect(result.agency).toBe(result.expected.agencyId);
      expect(result.clients).toEqual([{ agency_id: result.expected.agencyId, id: result.expected.clientId }]);
    }
    // After all that, a pooled connection carries no tenant over.
    const leftover = await dataSource.query(`SELECT coalesce(current_setting('app.agency_id', true), '') AS agency, current_user AS role`);
    expect(leftover[0].agency).toBe('');
    expect(leftover[0].role).not.toBe(TENANT_ROLE);
  });

  it('forces row-level security with a policy on every table that has agency_id, and no app role bypasses it', async () => {
    const tables = await owner.query<{ table: string; rls: boolean; forced: boolean; policies: number }>(`
      SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
             (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       WHERE c.relkind IN ('r', 'p')
         AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'agency_id' AND NOT a.attisdropped)
              OR c.relname = 'agencies')
       ORDER BY 1`);
    expect(tables.rows.length).toBeGreaterThanOrEqual(5);
    for (const row of tables.rows) {
      expect({ table: row.table, rls: row.rls, forced: row.forced, hasPolicy: row.policies > 0 }).toEqual({
        table: row.table,
        rls: true,
        forced: true,
        hasPolicy: true,
      });
    }
    const appUser = new URL(testDatabase().appUrl).username;
    const roles = await owner.query<{ rolname: string; rolbypassrls: boolean; rolsuper: boolean }>(
      'SELECT rolname, rolbypassrls, rolsuper FROM pg_roles WHERE rolname = ANY($1) ORDER BY 1',
      [[TENANT_ROLE, appUser]],
    );
    expect(roles.rows).toEqual([appUser, TENANT_ROLE].sort().map((rolname) => ({ rolname, rolbypassrls: false, rolsuper: false })));
    // The app role owns no table (owners would bypass non-forced policies).
    const owned = await owner.query(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = ANY($1) AND c.relkind = 'r'`,
      [[TENANT_ROLE, appUser]],
    );
    expect(owned.rows[0].n).toBe(0);
  });

  it('leads every primary key, unique index and foreign key of tenant tables with agency_id', async () => {
    const constraints = await owner.query<{ table: string; name: string; first_column: string }>(`
      SELECT c.relname AS table, i.relname AS name, a.attname AS first_column
        FROM pg_index x
        JOIN pg_class c ON c.oid = x.indrelid
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = x.indkey[0]
       WHERE EXISTS (SELECT 1 FROM pg_attribute b WHERE b.attrelid = c.oid AND b.attname = 'agency_id' AND NOT b.attisdropped)
      UNION ALL
      SELECT c.relname, k.conname, a.attname
        FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.conkey[1]
       WHERE k.contype = 'f'
         AND EXISTS (SELECT 1 FROM pg_attribute b WHERE b.attrelid = c.oid AND b.attname = 'agency_id' AND NOT b.attisdropped)`);
    expect(constraints.rows.length).toBeGreaterThan(5);
    // Looked up before any tenant is known: the login directory by e-mail or invitation, an API key by its public id.
    const exceptions = new Set(['login_directory_email_idx', 'login_directory_invitation_idx', 'api_keys_public_id_key']);
    const offenders = constraints.rows.filter((row) => row.first_column !== 'agency_id' && !exceptions.has(row.name));
    expect(offenders).toEqual([]);
  });
});
