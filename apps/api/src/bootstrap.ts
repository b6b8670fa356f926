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
  // Behind a reverse proxy in production: the client address comes from X-Forwarded-For.
  const http = app.getHttpAdapter().getInstance() as { set?: (key: string, value: unknown) => void; disable?: (key: string) => void };
  http.set?.('trust proxy', config.isProduction ? 1 : false);
  // No "X-Powered-By: Express" on every answer (and on every PDF download).
  http.disable?.('x-powered-by');
  return app;
}
