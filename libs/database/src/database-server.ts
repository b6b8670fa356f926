import { join } from 'node:path';
import type { AppConfig } from '@pilotage/config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded/embedded-postgres-server';
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
  let embedded: EmbeddedPostgresHandle | null = null;
  let url = config.databaseUrl;
  let ownerUrl = config.databaseOwnerUrl;
  if (!url) {
    log(`DATABASE_URL is not set: starting the embedded PostgreSQL (data in ${join(config.dataDir, 'postgres')})`);
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPostgresPort,
      database: 'pilotage',
    });
    url = embedded.url;
    ownerUrl = embedded.url;
  }
  if (config.migrationsRun) {
    const applied = await runMigrations(ownerUrl ?? url);
    if (applied.length > 0) log(`Applied migrations: ${applied.join(', ')}`);
  }
  return { url, ownerUrl: ownerUrl ?? url, embedded };
}
