import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { TEST_DATABASE_FILE, type TestDatabaseInfo } from './test-database-file';

export function testDatabase(): TestDatabaseInfo {
  return JSON.parse(readFileSync(TEST_DATABASE_FILE, 'utf8')) as TestDatabaseInfo;
}

/** A superuser pool for assertions from outside the application (counts, catalog checks). */
export function ownerPool(): Pool {
  return new Pool({ connectionString: testDatabase().ownerUrl, max: 2 });
}
