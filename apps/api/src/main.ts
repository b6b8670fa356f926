import 'reflect-metadata';
import type { Server } from 'node:http';
import pino from 'pino';
import { loadAppConfig } from '@pilotage/config';
import { prepareDatabase } from '@pilotage/database';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadAppConfig();
  const log = pino({ level: config.logLevel });
  const database = await prepareDatabase(config, (message) => log.info(message));
  const app = await createApiApp(config, database.url);
  await app.listen(config.port);
  log.info({ url: `${config.publicUrl}/graphql` }, 'Pilotage API ready');
  if (database.embedded) {
    const embedded = database.embedded;
    const server = app.getHttpServer() as Server;
    server.on('close', () => void embedded.stop());
  }
}

main().catch((error: unknown) => {
  pino().fatal({ err: error }, error instanceof Error ? error.message : 'failed to start');
  process.exit(1);
});
