import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the global setup tells the test workers which database to use: one file per run (the
 * setup puts its path in the environment, which the workers inherit), so concurrent runs on one
 * machine never share a database.
 */
export function testDatabaseFile(): string {
  const file = process.env.PILOTAGE_TEST_DATABASE_FILE;
  if (!file) throw new Error('PILOTAGE_TEST_DATABASE_FILE is not set: run the end-to-end tests through Jest (global setup)');
  return file;
}

export function newTestDatabaseFile(): string {
  return join(tmpdir(), `pilotage-test-database-${process.pid}-${Date.now()}.json`);
}

export interface TestDatabaseInfo {
  /** A superuser on the run's database: catalog checks and assertions from outside row-level security. */
  readonly ownerUrl: string;
  /** The schema owner the migrations ran as: no superuser, no CREATEROLE (docker/postgres/init-roles.sql's shape). */
  readonly schemaOwnerUrl: string;
  /** The non-owner LOGIN role the application connects as. */
  readonly appUrl: string;
  /** The worker's pg-boss login (member of `pilotage_queue`). */
  readonly queueUrl: string;
  readonly databaseName: string;
  readonly serverUrl: string;
  /** The run's own files (stored report PDFs), removed by the global teardown. */
  readonly dataDir: string;
}
