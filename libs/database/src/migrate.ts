import { Client } from 'pg';
import { createDataSource } from './data-source';

/** Arbitrary constant key of the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK_KEY = 726_417_001;

/**
 * Runs pending migrations as the schema owner, under a PostgreSQL advisory lock so that an
 * API and a worker starting together (or several replicas) never run them twice.
 * Returns the names of the migrations applied.
 */
export async function runMigrations(ownerUrl: string): Promise<string[]> {
  const lock = new Client({ connectionString: ownerUrl, application_name: 'pilotage-migrations-lock' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const dataSource = createDataSource({ url: ownerUrl, poolSize: 1, applicationName: 'pilotage-migrations' });
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'all' });
      return applied.map((migration) => migration.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}
