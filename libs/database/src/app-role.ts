import { Client } from 'pg';
import { TENANT_ROLE } from './tenancy/tenant-database';

/**
 * Creates (or updates) the LOGIN role the application connects as: not a superuser, not the
 * schema owner, no BYPASSRLS, and a member of the tenant role so it can `SET LOCAL ROLE` to
 * it. Run with the owner's connection after the migrations (which create the tenant role).
 * Returns `ownerUrl` rewritten to log in as that role.
 */
export async function ensureAppLoginRole(ownerUrl: string, role: { name: string; password: string }): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(role.name)) throw new Error(`Invalid role name ${role.name}`);
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const quotedPassword = `'${role.password.replace(/'/g, "''")}'`;
    // Role names and passwords cannot be bound parameters in DDL; both are validated/quoted above.
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role.name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE ROLE ${role.name} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD ${quotedPassword}`);
    } else {
      await client.query(`ALTER ROLE ${role.name} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${quotedPassword}`);
    }
    await client.query(`GRANT ${TENANT_ROLE} TO ${role.name}`);
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
    await client.query(`GRANT CONNECT ON DATABASE "${rows[0].db.replace(/"/g, '""')}" TO ${role.name}`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${role.name}`);
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = role.name;
  url.password = role.password;
  return url.toString();
}
