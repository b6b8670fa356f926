import 'reflect-metadata';
import 'tsconfig-paths/register';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { ensureAppLoginRole, runMigrations, startEmbeddedPostgres } from '../../libs/database/src';
import { newTestDatabaseFile, type TestDatabaseInfo } from './test-database-file';

declare global {
  // Handle kept for global-teardown (same process).
  var pilotageEmbeddedStop: (() => Promise<void>) | undefined;
}

/**
 * One fresh database per test run, migrated from the migration files (never synchronize):
 * TEST_DATABASE_URL's server when set (CI uses the machine's PostgreSQL), otherwise an
 * embedded PostgreSQL under .data/test-postgres. Tests then connect the app as a non-owner
 * LOGIN role, so row-level security is really in force.
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
  const ownerUrl = new URL(serverUrl);
  ownerUrl.pathname = `/${databaseName}`;
  await runMigrations(ownerUrl.toString());
  const appUrl = await ensureAppLoginRole(ownerUrl.toString(), { name: 'pilotage_app_test', password: 'pilotage_app_test' });
  const dataDir = join(__dirname, '..', '..', '.data', 'test-run', databaseName);
  const info: TestDatabaseInfo = { ownerUrl: ownerUrl.toString(), appUrl, databaseName, serverUrl, dataDir };
  const file = newTestDatabaseFile();
  writeFileSync(file, JSON.stringify(info));
  process.env.PILOTAGE_TEST_DATABASE_FILE = file;
}
