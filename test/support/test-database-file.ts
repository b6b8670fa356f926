import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the global setup tells the test workers which database to use. */
export const TEST_DATABASE_FILE = join(tmpdir(), `pilotage-test-database-${process.env.JEST_RUN_ID ?? 'default'}.json`);

export interface TestDatabaseInfo {
  /** Superuser / owner connection: migrations, catalog checks, test assertions from outside. */
  readonly ownerUrl: string;
  /** The non-owner LOGIN role the application connects as. */
  readonly appUrl: string;
  readonly databaseName: string;
  readonly serverUrl: string;
}
