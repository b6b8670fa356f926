import { join } from 'node:path';
import type { AppConfig } from '@pilotage/config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded/embedded-postgres-server';
import { ensureAppLoginRole } from './app-role';
import { runMigrations } from './migrate';

export interface DatabaseServer {
  /** URL the application connects with. */
  readonly url: string;
  /** URL migrations run with (the schema owner). */
  readonly ownerUrl: string;
  /** Set when the embedded PostgreSQL was started by this process. */
  readonly embedded: EmbeddedPostgresHandle | null;
}

/**
 * The database the app uses: DATABASE_URL when set, otherwise an embedded PostgreSQL with its
 * data under DATA_DIR. Runs pending migrations (as the owner, under an advisory lock) unless
 * MIGRATIONS_RUN=false.
 */
export async function prepareDatabase(config: AppConfig, log: (message: string) => void): Promise<DatabaseServer> {
  if (config.databaseUrl) {
    const ownerUrl = config.databaseOwnerUrl ?? config.databaseUrl;
    await migrate(config, ownerUrl, log);
    return { url: config.databaseUrl, ownerUrl, embedded: null };
  }
  log(`DATABASE_URL is not set: starting the embedded PostgreSQL (data in ${join(config.dataDir, 'postgres')})`);
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, database: 'pilotage' });
  await migrate(config, embedded.url, log);
  // Even locally the app connects as a non-owner role, exactly as in production.
  const url = await ensureAppLoginRole(embedded.url, { name: 'pilotage_app', password: 'pilotage_app' });
  return { url, ownerUrl: embedded.url, embedded };
}

async function migrate(config: AppConfig, ownerUrl: string, log: (message: string) => void): Promise<void> {
  if (!config.migrationsRun) return;
  const applied = await runMigrations(ownerUrl);
  if (applied.length > 0) log(`Applied migrations: ${applied.join(', ')}`);
}
