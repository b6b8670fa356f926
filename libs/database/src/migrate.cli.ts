import 'reflect-metadata';
import pino from 'pino';
import { loadMigrationConfig } from '@pilotage/config';
import { runMigrations } from './migrate';

/**
 * The migrate step of a deployment: runs the pending migrations as the schema owner
 * (DATABASE_OWNER_URL), under the advisory lock, then exits. The API and the worker start after
 * it (compose's `migrate` service) and never hold the owner's credentials.
 *
 *   npm run migrate                                  (TypeScript, development)
 *   node dist/libs/database/src/migrate.cli.js       (the image)
 */
async function main(): Promise<void> {
  const log = pino();
  const config = loadMigrationConfig();
  const applied = await runMigrations(config.databaseOwnerUrl);
  log.info({ applied }, applied.length > 0 ? `Applied ${applied.length} migration(s)` : 'No pending migration');
}

main().catch((error: unknown) => {
  pino().fatal({ err: error }, error instanceof Error ? error.message : 'migrations failed');
  process.exit(1);
});
