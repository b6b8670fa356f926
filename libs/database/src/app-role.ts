import { Client } from 'pg';
import { TENANT_ROLE } from './tenancy/tenant-database';

/** The group role of the worker's pg-boss login: pg-boss's tables only (migration 1795420000000). */
export const QUEUE_ROLE = 'pilotage_queue';

export interface LoginRole {
  readonly name: string;
  readonly password: string;
}

/** The three login roles of a Pilotage database (docker/postgres/init-roles.sql creates the same). */
export interface DatabaseRoles {
  /** Owns the database and the schema, runs the migrations: no superuser, no CREATEROLE. */
  readonly owner: LoginRole;
  /** The API and the worker's tenant work: member of `pilotage_tenant`, owns nothing. */
  readonly app: LoginRole;
  /** The worker's pg-boss: member of `pilotage_queue`, nothing in `public`. */
  readonly queue: LoginRole;
}

export interface DatabaseRoleUrls {
  readonly ownerUrl: string;
  readonly appUrl: string;
  readonly queueUrl: string;
}

const ROLE_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Creates (or updates) the roles of docker/postgres/init-roles.sql for the database `adminUrl`
 * points at, run as a superuser of that server (the embedded PostgreSQL's, the tests' server's):
 * - the NOLOGIN group roles `pilotage_tenant` and `pilotage_queue`;
 * - the owner: LOGIN, NOSUPERUSER, NOCREATEROLE, NOCREATEDB, NOBYPASSRLS, owner of the database
 *   (hence of schema `public` through pg_database_owner, PostgreSQL 15+), member of
 *   `pilotage_tenant` WITH ADMIN OPTION — what the migrations need to SET ROLE to it and grant it;
 * - the app login (member of `pilotage_tenant`) and the queue login (member of `pilotage_queue`).
 * Returns `adminUrl` rewritten for each login. Roles are cluster-wide: concurrent runs on one
 * server (tests) may race on them, hence the retries.
 */
export async function ensureDatabaseRoles(adminUrl: string, roles: DatabaseRoles): Promise<DatabaseRoleUrls> {
  for (const role of [roles.owner, roles.app, roles.queue]) {
    if (!ROLE_NAME.test(role.name)) throw new Error(`Invalid role name ${role.name}`);
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await provision(adminUrl, roles);
      break;
    } catch (error) {
      // "tuple concurrently updated" / duplicate role: another process provisioning the same roles.
      if (attempt >= 5 || !isConcurrentRoleChange(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
  return { ownerUrl: loginUrl(adminUrl, roles.owner), appUrl: loginUrl(adminUrl, roles.app), queueUrl: loginUrl(adminUrl, roles.queue) };
}

async function provision(adminUrl: string, roles: DatabaseRoles): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // Role names and passwords cannot be bound parameters in DDL: names are validated above,
    // passwords quoted here.
    const createOrUpdate = async (role: LoginRole, attributes: string): Promise<void> => {
      const password = `'${role.password.replace(/'/g, "''")}'`;
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role.name]);
      const verb = exists.rowCount === 0 ? 'CREATE' : 'ALTER';
      await client.query(`${verb} ROLE ${role.name} LOGIN ${attributes} PASSWORD ${password}`);
    };
    const unprivileged = 'NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE';
    for (const group of [TENANT_ROLE, QUEUE_ROLE]) {
      await client.query(
        `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${group}') THEN CREATE ROLE ${group} NOLOGIN ${unprivileged}; END IF; END $$`,
      );
    }
    await createOrUpdate(roles.owner, unprivileged);
    await createOrUpdate(roles.app, unprivileged);
    await createOrUpdate(roles.queue, unprivileged);
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
    const database = `"${rows[0].db.replace(/"/g, '""')}"`;
    await client.query(`ALTER DATABASE ${database} OWNER TO ${roles.owner.name}`);
    await client.query(`GRANT ${TENANT_ROLE} TO ${roles.owner.name} WITH ADMIN OPTION`);
    await client.query(`GRANT ${TENANT_ROLE} TO ${roles.app.name}`);
    await client.query(`GRANT ${QUEUE_ROLE} TO ${roles.queue.name}`);
    for (const login of [roles.app.name, roles.queue.name]) await client.query(`GRANT CONNECT ON DATABASE ${database} TO ${login}`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${roles.app.name}`);
  } finally {
    await client.end();
  }
}

function isConcurrentRoleChange(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  // XX000 "tuple concurrently updated", 23505 unique_violation on pg_authid, 42710 duplicate_object.
  return error.code === 'XX000' || error.code === '23505' || error.code === '42710';
}

function loginUrl(adminUrl: string, role: LoginRole): string {
  const url = new URL(adminUrl);
  url.username = role.name;
  url.password = role.password;
  return url.toString();
}

/**
 * Only the app login (member of `pilotage_tenant`), for a database already migrated by a
 * superuser (the benchmarks). Returns `adminUrl` rewritten to log in as that role.
 */
export async function ensureAppLoginRole(adminUrl: string, role: LoginRole): Promise<string> {
  if (!ROLE_NAME.test(role.name)) throw new Error(`Invalid role name ${role.name}`);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const password = `'${role.password.replace(/'/g, "''")}'`;
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role.name]);
    await client.query(
      `${exists.rowCount === 0 ? 'CREATE' : 'ALTER'} ROLE ${role.name} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD ${password}`,
    );
    await client.query(`GRANT ${TENANT_ROLE} TO ${role.name}`);
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
    await client.query(`GRANT CONNECT ON DATABASE "${rows[0].db.replace(/"/g, '""')}" TO ${role.name}`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${role.name}`);
  } finally {
    await client.end();
  }
  return loginUrl(adminUrl, role);
}
