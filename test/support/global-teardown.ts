import { readFileSync, rmSync } from 'node:fs';
import { Client } from 'pg';
import { TEST_DATABASE_FILE, type TestDatabaseInfo } from './test-database-file';

export default async function globalTeardown(): Promise<void> {
  const info = JSON.parse(readFileSync(TEST_DATABASE_FILE, 'utf8')) as TestDatabaseInfo;
  const admin = new Client({ connectionString: info.serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${info.databaseName} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  rmSync(TEST_DATABASE_FILE, { force: true });
  await globalThis.pilotageEmbeddedStop?.();
}
