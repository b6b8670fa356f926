import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { loadAppConfig, type AppConfig } from '@pilotage/config';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { accountTokenOf, startSmtpSink, takeMail, type SmtpSink } from './smtp-sink';
import { testDatabase } from './test-database';
import { trackUntilClosed } from './test-resources';

export interface GraphqlResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> & { code?: string } }>;
}

export interface TestApi {
  readonly app: INestApplication;
  readonly baseUrl: string;
  readonly config: AppConfig;
  /** The SMTP peer the API mails to (its own unless the test passed one). */
  readonly smtp: SmtpSink;
  /** Waits for the next account e-mail to `address`, takes it out of the sink and returns its token. */
  takeAccountToken(address: string): Promise<string>;
  /** Sends one GraphQL operation over HTTP, as a front-end would. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphqlResponse<T>>;
  /** Like gql but fails the test when the response has errors. */
  gqlOk<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  close(): Promise<void>;
}

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';
/** The data connections' token key of the test APIs (`id:base64`, 32 bytes). */
export const TEST_CONNECTOR_TOKEN_KEYS = `test:${Buffer.alloc(32, 7).toString('base64')}`;

/**
 * Boots the real API (real PostgreSQL, as the non-owner app role) on a random port. Account
 * e-mails go to a real SMTP peer: `options.smtp` when the test has its own (then `env` must
 * point SMTP_HOST/SMTP_PORT at it), else one started here and closed with the API.
 */
export async function startTestApi(env: Record<string, string> = {}, options: { smtp?: SmtpSink } = {}): Promise<TestApi> {
  const database = testDatabase();
  const ownSink = options.smtp ? null : await startSmtpSink();
  const smtp = options.smtp ?? ownSink;
  if (!smtp) throw new Error('no SMTP sink');
  const config = loadAppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: database.appUrl,
    DATABASE_POOL_SIZE: '4',
    MIGRATIONS_RUN: 'false',
    DATA_DIR: database.dataDir,
    // Required in production mode (tests that boot one); a fixed test key otherwise.
    CONNECTOR_TOKEN_KEYS: TEST_CONNECTOR_TOKEN_KEYS,
    ...(ownSink ? { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(ownSink.port), SMTP_SECURE: 'false' } : {}),
    ...env,
  });
  const booting = createApiApp(config, database.appUrl).then(async (created) => {
    await created.listen(0, '127.0.0.1');
    return created;
  });
  // Tracked before it is awaited: a boot slower than its hook's timeout is still closed.
  const close = trackUntilClosed(booting, async (started) => {
    await started.close();
    await ownSink?.close();
  });
  const app = await booting;
  const address = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${address.port}`;

  const gql = async <T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphqlResponse<T>> => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphqlResponse<T>;
  };
  const gqlOk = async <T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T> => {
    const response = await gql<T>(query, variables, token);
    if (response.errors?.length || !response.data) {
      throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
    }
    return response.data;
  };
  const takeAccountToken = async (address: string): Promise<string> => accountTokenOf(await takeMail(smtp, address));
  return { app, baseUrl, config, smtp, takeAccountToken, gql, gqlOk, close };
}
