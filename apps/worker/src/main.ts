import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { AlertsModule } from '@pilotage/alerts';
import { loadAppConfig } from '@pilotage/config';
import { ConnectorsModule } from '@pilotage/connectors';
import { WebhooksWorkerModule } from '@pilotage/events';
import { prepareDatabase, requireQueueUrl } from '@pilotage/database';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadAppConfig();
  const log = pino({ level: config.logLevel });
  const database = await prepareDatabase(config, (message) => log.info(message));
  const queueUrl = requireQueueUrl(database);
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, {
      databaseUrl: database.url,
      queueUrl,
      // The data connections' syncs and their daily schedule, the alerts' evaluations and digests, and the webhook deliveries run beside the reports.
      features: [
        ConnectorsModule.forWorker({ queueUrl, concurrency: config.connectors.syncConcurrency }),
        AlertsModule.forWorker({ queueUrl }),
        WebhooksWorkerModule.forWorker({ queueUrl }),
      ],
    }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  await app.init();
  log.info('Pilotage worker ready');

  // Graceful shutdown: pg-boss stops fetching and waits for running renders (up to 30 s),
  // then Chromium and the pools close, then the embedded PostgreSQL if this process started it.
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'Pilotage worker stopping');
    await app.close();
    await database.embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  pino().fatal({ err: error }, error instanceof Error ? error.message : 'worker failed to start');
  process.exit(1);
});
