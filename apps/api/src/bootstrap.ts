import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '@pilotage/config';
import { AppModule } from './app.module';
import { installBodyParsers } from './common/body-limits';
import { createValidationPipe } from './common/validation';

/** Builds the API application (used by main.ts, the demo and the end-to-end tests). */
export async function createApiApp(config: AppConfig, databaseUrl: string): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl), { bufferLogs: true, bodyParser: false });
  installBodyParsers(app, '/graphql');
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  // X-Forwarded-For is believed only from the proxies TRUST_PROXY names (none by default):
  // anyone else could pick their own address and walk around the per-address login limit.
  const http = app.getHttpAdapter().getInstance() as { set?: (key: string, value: unknown) => void; disable?: (key: string) => void };
  http.set?.('trust proxy', config.trustProxy === false || typeof config.trustProxy === 'number' ? config.trustProxy : [...config.trustProxy]);
  // No "X-Powered-By: Express" on every answer (and on every PDF download).
  http.disable?.('x-powered-by');
  return app;
}
