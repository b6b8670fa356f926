import 'reflect-metadata';
import './register-lib-paths';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
// Module by module, not through the index: Jest's moduleNameMapper does not apply to a global
// setup, and the index pulls in modules that import other @pilotage libraries.
import { ensureDatabaseRoles } from '../../libs/database/src/app-role';
import { startEmbeddedPostgres } from '../../libs/database/src/embedded/embedded-postgres-server';
import { runMigrations } from '../../libs/database/src/migrate';
import { newTestDatabaseFile, type TestDatabaseInfo } from './test-database-file';

declare global {
  // Handle kept for global-teardown (same process).
  var pilotageEmbeddedStop: (() => Promise<void>) | undefined;
}

/**
 * One fresh database per test run, migrated from the migration files (never synchronize):
 * TEST_DATABASE_URL's server when set (CI uses the machine's PostgreSQL), otherwise an
 * embedded PostgreSQL under .data/test-postgres. The roles are production's (as
 * docker/postgres/init-roles.sql makes them): the migrations run as an owner that is no
 * superuser and cannot create roles, the app connects as a non-owner LOGIN role (so row-level
 * security is really in force), and the worker's pg-boss as the queue role.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres({
      dataDir: join(__dirname, '..', '..', '.data', 'test'),
      port: Number(process.env.TEST_EMBEDDED_POSTGRES_PORT ?? 54330),
      database: 'postgres',
    });
    globalThis.pilotageEmbeddedStop = () => embedded.stop();
    serverUrl = embedded.url;
  }
  const databaseName = `pilotage_test_${Date.now()}_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${databaseName}`);
  } finally {
    await admin.end();
  }
  const superuserUrl = new URL(serverUrl);
  superuserUrl.pathname = `/${databaseName}`;
  const roles = await ensureDatabaseRoles(superuserUrl.toString(), {
    owner: { name: 'pilotage_owner_test', password: 'pilotage_owner_test' },
    app: { name: 'pilotage_app_test', password: 'pilotage_app_test' },
    queue: { name: 'pilotage_queue_test', password: 'pilotage_queue_test' },
  });
  await runMigrations(roles.ownerUrl);
  const dataDir = join(__dirname, '..', '..', '.data', 'test-run', databaseName);
  const info: TestDatabaseInfo = {
    ownerUrl: superuserUrl.toString(),
    schemaOwnerUrl: roles.ownerUrl,
    appUrl: roles.appUrl,
    queueUrl: roles.queueUrl,
    databaseName,
    serverUrl,
    dataDir,
  };
  const file = newTestDatabaseFile();
  writeFileSync(file, JSON.stringify(info));
  process.env.PILOTAGE_TEST_DATABASE_FILE = file;
}
