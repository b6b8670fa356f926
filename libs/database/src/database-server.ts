import { join } from 'node:path';
import { Client } from 'pg';
import type { AppConfig } from '@pilotage/config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded/embedded-postgres-server';
import { ensureDatabaseRoles } from './app-role';
import { runMigrations } from './migrate';

export interface DatabaseServer {
  /** URL the application connects with (the non-owner app role). */
  readonly url: string;
  /** URL the worker's pg-boss connects with (the queue role); null when DATABASE_QUEUE_URL is not set. */
  readonly queueUrl: string | null;
  /** Set when the embedded PostgreSQL was started by this process. */
  readonly embedded: EmbeddedPostgresHandle | null;
}

/**
 * The database the app uses: DATABASE_URL when set, otherwise an embedded PostgreSQL with its
 * data under DATA_DIR.
 *
 * With DATABASE_URL, this process migrates only if DATABASE_OWNER_URL is given (development):
 * in production the migrations are their own step (`npm run migrate`, compose's `migrate`
 * service) and the API and worker hold no owner credentials. The embedded server provisions
 * the production roles itself (owner without superuser, app role, queue role), migrates as the
 * owner unless MIGRATIONS_RUN=false, and hands out the app and queue URLs.
 */
export async function prepareDatabase(config: AppConfig, log: (message: string) => void): Promise<DatabaseServer> {
  if (config.databaseUrl) {
    if (config.databaseOwnerUrl) await migrate(config, config.databaseOwnerUrl, log);
    return { url: config.databaseUrl, queueUrl: config.databaseQueueUrl, embedded: null };
  }
  log(`DATABASE_URL is not set: starting the embedded PostgreSQL (data in ${join(config.dataDir, 'postgres')})`);
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, database: 'pilotage' });
  // Local only, so fixed passwords: the server listens on 127.0.0.1.
  const urls = await ensureDatabaseRoles(embedded.url, {
    owner: { name: 'pilotage_owner', password: 'pilotage_owner' },
    app: { name: 'pilotage_app', password: 'pilotage_app' },
    queue: { name: 'pilotage_jobs', password: 'pilotage_jobs' },
  });
  // A data directory migrated before the owner role existed holds tables of the superuser: the
  // owner could not alter them, so that database keeps being migrated as the superuser.
  const legacy = await tablesOwnedByAnother(urls.ownerUrl, 'pilotage_owner');
  await migrate(config, legacy ? embedded.url : urls.ownerUrl, log);
  return { url: urls.appUrl, queueUrl: urls.queueUrl, embedded };
}

async function tablesOwnedByAnother(url: string, owner: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner <> $1`, [owner]);
    return rows[0].n > 0;
  } finally {
    await client.end();
  }
}

async function migrate(config: AppConfig, ownerUrl: string, log: (message: string) => void): Promise<void> {
  if (!config.migrationsRun) return;
  const applied = await runMigrations(ownerUrl);
  if (applied.length > 0) log(`Applied migrations: ${applied.join(', ')}`);
}

/** The queue role's URL a worker needs, or an error naming the variable to set. */
export function requireQueueUrl(database: DatabaseServer): string {
  if (database.queueUrl === null) {
    throw new Error('DATABASE_QUEUE_URL is required by the worker: its pg-boss connects as a role limited to pg-boss tables (see README, Production)');
  }
  return database.queueUrl;
}
