import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { loadAppConfig } from '@pilotage/config';
import { prepareDatabase } from '@pilotage/database';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadAppConfig();
  const log = pino({ level: config.logLevel });
  const database = await prepareDatabase(config, (message) => log.info(message));
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, database.url), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  log.info('Pilotage worker ready');
}

main().catch((error: unknown) => {
  pino().fatal({ err: error }, error instanceof Error ? error.message : 'worker failed to start');
  process.exit(1);
});
