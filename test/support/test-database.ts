import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { testDatabaseFile, type TestDatabaseInfo } from './test-database-file';

export function testDatabase(): TestDatabaseInfo {
  return JSON.parse(readFileSync(testDatabaseFile(), 'utf8')) as TestDatabaseInfo;
}

/** A superuser pool for assertions from outside the application (counts, catalog checks). */
export function ownerPool(): Pool {
  return new Pool({ connectionString: testDatabase().ownerUrl, max: 2 });
}
