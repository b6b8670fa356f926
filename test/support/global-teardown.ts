import { readFileSync, rmSync } from 'node:fs';
import { Client } from 'pg';
import { testDatabaseFile, type TestDatabaseInfo } from './test-database-file';

export default async function globalTeardown(): Promise<void> {
  const file = testDatabaseFile();
  const info = JSON.parse(readFileSync(file, 'utf8')) as TestDatabaseInfo;
  const admin = new Client({ connectionString: info.serverUrl });
  await admin.connect();
  try {
    // Not WITH (FORCE): killing a connection a test left open would crash the run on its
    // unhandled error event. A database still in use is left behind (named pilotage_test_*).
    await admin.query(`DROP DATABASE IF EXISTS ${info.databaseName}`);
  } catch (error) {
    process.stderr.write(`Left test database ${info.databaseName} behind: ${error instanceof Error ? error.message : String(error)}\n`);
  } finally {
    await admin.end();
  }
  rmSync(info.dataDir, { recursive: true, force: true });
  rmSync(file, { force: true });
  await globalThis.pilotageEmbeddedStop?.();
}
