import 'reflect-metadata';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { DatabaseModule, TenantDatabase } from '@pilotage/database';
import {
  EventJobQueue,
  EventsModule,
  postWebhook,
  verifyWebhookSignature,
  WebhooksWorkerModule,
  WebhookDeliverer,
  WebhookDeliveryFailedError,
  WebhookSecretVault,
} from '@pilotage/events';
import { newAgency, newClient, newClientViewer, type TestAgency } from '../support/factories';
import { startTestApi, type GraphqlResponse, type TestApi } from '../support/test-api';
import { ownerPool, testDatabase } from '../support/test-database';
import { trackUntilClosed } from '../support/test-resources';
import { APP_BOOT_TIMEOUT_MS, E2E_TEST_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const ENDPOINT_FIELDS = 'id url format events description enabled createdAt updatedAt';
const CREATE = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { ${ENDPOINT_FIELDS} } } }`;
const LIST = `{ webhookEndpoints(first: 20) { totalCount edges { node { ${ENDPOINT_FIELDS} } } } }`;
const DELIVERIES = `query ($id: ID!) { webhookEndpoint(id: $id) { id deliveries(first: 10) { totalCount edges { node {
  id eventId eventType status attempts lastStatusCode lastError deliveredAt } } } } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) { ${ENDPOINT_FIELDS} } }`;
const DELETE = `mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
const ROTATE = `mutation ($id: ID!) { rotateWebhookSecret(id: $id) }`;
const TEST = `mutation ($id: ID!) { testWebhookEndpoint(id: $id) { ok statusCode durationMs error } }`;
const RECORD = `mutation ($input: RecordMetricValuesInput!) { recordMetricValues(input: $input) { importId inserted } }`;

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface DeliveryNode {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}

/** A receiver on loopback: records every request with its raw body, answers the queued statuses (then 200). */
async function startReceiver(): Promise<{ server: Server; origin: string; received: Received[]; answers: number[] }> {
  const received: Received[] = [];
  const answers: number[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = answers.shift() ?? 200;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : `receiver says no ${'x'.repeat(1000)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, answers };
}

/** The webhook part of a worker, as apps/worker starts it (real pg-boss), polling every half second. */
async function startWebhookWorker(config: AppConfig): Promise<() => Promise<void>> {
  @Module({})
  class WebhookWorkerConfigModule {}
  @Module({})
  class WebhookWorkerTestModule {}
  const database = testDatabase();
  const root: DynamicModule = {
    module: WebhookWorkerTestModule,
    imports: [
      { module: WebhookWorkerConfigModule, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
      DatabaseModule.forRoot({ url: database.appUrl, poolSize: 3, applicationName: 'pilotage-test-webhooks' }),
      EventsModule.forRoot(),
      WebhooksWorkerModule.forWorker({ queueUrl: database.queueUrl, concurrency: 2, pollingIntervalSeconds: 0.5 }),
    ],
  };
  const booting = NestFactory.createApplicationContext(root, { logger: false }).then(async (created) => {
    await created.init();
    return created;
  });
  const close = trackUntilClosed(booting, (started) => started.close());
  await booting;
  return close;
}

/**
 * The API allows private networks (the receiver is on loopback); the pg-boss worker is not
 * started: the test drives {@link WebhookDeliverer.deliver} itself, one attempt per call, as
 * the worker does per job (a failed non-final attempt throws, which is what makes pg-boss retry).
 * That keeps the retry instant instead of waiting out WEBHOOK_DELIVERY_JOB_OPTIONS' 10 s backoff.
 */
describe('Outbound webhooks', () => {
  let api: TestApi;
  let owner: Pool;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let agency: TestAgency;
  let other: TestAgency;
  let deliverer: WebhookDeliverer;
  let strictDeliverer: WebhookDeliverer;
  let closeWorker: (() => Promise<void>) | undefined;
  /** Every GraphQL answer after a secret was shown, to check none repeats it. */
  const answers: string[] = [];

  const gql = async <T>(query: string, variables: Record<string, unknown>, token: string): Promise<GraphqlResponse<T>> => {
    const response = await api.gql<T>(query, variables, token);
    answers.push(JSON.stringify(response));
    return response;
  };
  const gqlOk = async <T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> => {
    const response = await gql<T>(query, variables, token);
    if (response.errors?.length || !response.data) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
    return response.data;
  };
  const create = async (as: TestAgency, input: Record<string, unknown>): Promise<{ secret: string; endpoint: { id: string; url: string; format: string } }> => {
    const response = await api.gqlOk<{ createWebhookEndpoint: { secret: string; endpoint: { id: string; url: string; format: string } } }>(
      CREATE,
      { input },
      as.token,
    );
    return response.createWebhookEndpoint;
  };
  const deliveries = async (endpointId: string): Promise<DeliveryNode[]> =>
    (
      await gqlOk<{ webhookEndpoint: { deliveries: { edges: { node: DeliveryNode }[] } } }>(DELIVERIES, { id: endpointId }, agency.token)
    ).webhookEndpoint.deliveries.edges.map((edge) => edge.node);

  beforeAll(async () => {
    api = await startTestApi({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_TIMEOUT_MS: '5000' });
    owner = ownerPool();
    receiver = await startReceiver();
    agency = await newAgency(api, { locale: 'en' });
    other = await newAgency(api);
    const parts = [api.app.get(EventJobQueue), api.app.get(TenantDatabase), api.app.get(WebhookSecretVault)] as const;
    deliverer = new WebhookDeliverer(...parts, api.config, { concurrency: 1 });
    strictDeliverer = new WebhookDeliverer(...parts, { ...api.config, webhooks: { ...api.config.webhooks, allowPrivateNetworks: false } }, { concurrency: 1 });
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await closeWorker?.();
    await api.close();
    await owner.end();
    await new Promise((resolve) => receiver.server.close(resolve));
  }, TEARDOWN_TIMEOUT_MS);

  it('sends import.completed to the subscribed endpoints only, signed; retries after a 500; formats Slack; keeps the secret out of answers and rows', async () => {
    const json = await create(agency, { url: `${receiver.origin}/json`, events: ['IMPORT_COMPLETED', 'REPORT_SENT'], description: 'CRM' });
    const slack = await create(agency, { url: `${receiver.origin}/slack/T000/B000/XXXX`, format: 'SLACK', events: ['IMPORT_COMPLETED'] });
    const reportsOnly = await create(agency, { url: `${receiver.origin}/reports`, events: ['REPORT_SENT'] });
    expect(json.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    // A Slack URL is its credential: only its origin is shown.
    expect(slack.endpoint.url).toBe(`${receiver.origin}/…`);

    const client = await newClient(api, agency, { locale: 'fr' });
    const recorded = await gqlOk<{ recordMetricValues: { importId: string; inserted: number } }>(
      RECORD,
      { input: { clientId: client.id, values: [{ metricKey: 'sessions', date: '2026-03-01', value: '12' }] } },
      agency.token,
    );
    const [jsonDelivery] = await deliveries(json.endpoint.id);
    expect(await deliveries(json.endpoint.id)).toHaveLength(1);
    expect(jsonDelivery).toMatchObject({ eventType: 'IMPORT_COMPLETED', status: 'PENDING', attempts: 0 });
    expect(await deliveries(reportsOnly.endpoint.id)).toEqual([]);

    // First attempt: the receiver answers 500; the attempt is logged and the job throws (pg-boss retries it).
    receiver.answers.push(500);
    const job = { agencyId: agency.agencyId, deliveryId: jsonDelivery.id };
    await expect(deliverer.deliver(job, { finalAttempt: false })).rejects.toBeInstanceOf(WebhookDeliveryFailedError);
    const [afterFailure] = await deliveries(json.endpoint.id);
    expect(afterFailure).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: 500 });
    expect(afterFailure.lastError).toMatch(/^HTTP 500: receiver says no x+$/);
    expect(afterFailure.lastError?.length).toBeLessThan(250);
    // The retry succeeds.
    await expect(deliverer.deliver(job, { finalAttempt: false })).resolves.toBe('SUCCEEDED');
    const [afterRetry] = await deliveries(json.endpoint.id);
    expect(afterRetry).toMatchObject({ status: 'SUCCEEDED', attempts: 2, lastStatusCode: 200, lastError: null });
    await expect(deliverer.deliver(job, { finalAttempt: false })).resolves.toBe('ALREADY_DONE');

    const jsonRequests = receiver.received.filter((request) => request.path === '/json');
    expect(jsonRequests).toHaveLength(2);
    for (const request of jsonRequests) {
      const signature = request.headers['pilotage-signature'] as string;
      expect(verifyWebhookSignature(signature, json.secret, request.body)).toEqual({ valid: true });
      expect(verifyWebhookSignature(signature, json.secret, request.body.replace('12', '13'))).toMatchObject({ valid: false });
      expect(verifyWebhookSignature(signature, 'whsec_wrong', request.body)).toMatchObject({ valid: false });
      expect(verifyWebhookSignature(signature, json.secret, request.body, Math.floor(Date.now() / 1000) + 3600)).toEqual({
        valid: false,
        reason: 'timestamp outside the tolerance',
      });
      expect(request.headers['pilotage-event']).toBe('import.completed');
      expect(request.headers['pilotage-delivery']).toBe(jsonDelivery.id);
      expect(JSON.parse(request.body)).toEqual({
        id: jsonDelivery.eventId,
        type: 'import.completed',
        occurredAt: expect.any(String),
        agencyId: agency.agencyId,
        clientId: client.id,
        data: { importId: recorded.recordMetricValues.importId, kind: 'API', inserted: 1, updated: 0, unchanged: 0, connectionId: null },
      });
    }

    // Slack: the incoming webhook's `{ text, blocks }`, in the client's language, no signature.
    const [slackDelivery] = await deliveries(slack.endpoint.id);
    await expect(deliverer.deliver({ agencyId: agency.agencyId, deliveryId: slackDelivery.id }, { finalAttempt: false })).resolves.toBe('SUCCEEDED');
    const slackRequest = receiver.received.find((request) => request.path === '/slack/T000/B000/XXXX');
    expect(slackRequest?.headers['pilotage-signature']).toBeUndefined();
    const message = JSON.parse(slackRequest?.body ?? '{}') as {
      text: string;
      blocks: { type: string; text?: { text: string }; fields?: { text: string }[] }[];
    };
    expect(message.text).toContain('Import terminé');
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Import terminé' } });
    expect(message.blocks[1].fields?.map((field) => field.text)).toContain('*Nouvelles valeurs:* 1');

    // A rotated secret signs from now on; the test send goes through the same path.
    const rotated = (await gqlOk<{ rotateWebhookSecret: string }>(ROTATE, { id: json.endpoint.id }, agency.token)).rotateWebhookSecret;
    expect(rotated).not.toBe(json.secret);
    const tested = await gqlOk<{ testWebhookEndpoint: { ok: boolean; statusCode: number } }>(TEST, { id: json.endpoint.id }, agency.token);
    expect(tested.testWebhookEndpoint).toMatchObject({ ok: true, statusCode: 200 });
    const testRequest = receiver.received[receiver.received.length - 1];
    expect(JSON.parse(testRequest.body)).toMatchObject({ type: 'test' });
    expect(verifyWebhookSignature(testRequest.headers['pilotage-signature'] as string, rotated, testRequest.body)).toEqual({ valid: true });
    expect(verifyWebhookSignature(testRequest.headers['pilotage-signature'] as string, json.secret, testRequest.body)).toMatchObject({ valid: false });

    // No answer but the creating and rotating ones carries a secret; no row holds one in clear.
    await gqlOk(LIST, {}, agency.token);
    await gqlOk(UPDATE, { id: json.endpoint.id, input: { description: 'CRM (prod)' } }, agency.token);
    // (`answers` holds every answer but the creations': only the rotation's may carry a secret, its own.)
    const carrying = (secret: string): string[] => answers.filter((answer) => answer.includes(secret.slice('whsec_'.length)));
    expect(carrying(json.secret)).toEqual([]);
    expect(carrying(slack.secret)).toEqual([]);
    expect(carrying(rotated)).toEqual([JSON.stringify({ data: { rotateWebhookSecret: rotated } })]);
    for (const secret of [json.secret, slack.secret, rotated]) {
      const rows = await owner.query<{ found: number }>(
        `SELECT (SELECT count(*) FROM webhook_endpoints e WHERE position($1 in row_to_json(e)::text) > 0 OR position(convert_to($1, 'UTF8') in e.secret_ciphertext) > 0)
              + (SELECT count(*) FROM webhook_deliveries d WHERE position($1 in row_to_json(d)::text) > 0)
              + (SELECT count(*) FROM audit_log a WHERE position($1 in row_to_json(a)::text) > 0) AS found`,
        [secret.slice(6)],
      );
      expect(Number(rows.rows[0].found)).toBe(0);
    }
  });

  it('refuses loopback addresses when private networks are not allowed, and fails deliveries of a disabled endpoint unsent', async () => {
    const endpoint = await create(agency, { url: `${receiver.origin}/ssrf`, events: ['IMPORT_COMPLETED'] });
    const disabled = await create(agency, { url: `${receiver.origin}/disabled`, events: ['IMPORT_COMPLETED'] });
    await gqlOk(UPDATE, { id: disabled.endpoint.id, input: { enabled: false } }, agency.token);
    const client = await newClient(api, agency);
    await gqlOk(RECORD, { input: { clientId: client.id, values: [{ metricKey: 'sessions', date: '2026-03-02', value: '3' }] } }, agency.token);
    // A disabled endpoint gets no delivery at all for new events.
    expect(await deliveries(disabled.endpoint.id)).toEqual([]);

    const [delivery] = await deliveries(endpoint.endpoint.id);
    const before = receiver.received.length;
    await expect(strictDeliverer.deliver({ agencyId: agency.agencyId, deliveryId: delivery.id }, { finalAttempt: true })).resolves.toBe('FAILED');
    const [failed] = await deliveries(endpoint.endpoint.id);
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, lastStatusCode: null });
    expect(failed.lastError).toBe('127.0.0.1 resolves to a private, loopback or link-local address, which webhooks may not reach');
    expect(receiver.received.length).toBe(before);

    // A host name is resolved and every address checked (here `localhost`): refused before any connection.
    const byName = await postWebhook({
      url: `${receiver.origin.replace('127.0.0.1', 'localhost')}/ssrf`,
      body: '{}',
      headers: {},
      timeoutMs: 5000,
      allowPrivateNetworks: false,
    });
    expect(byName).toMatchObject({
      ok: false,
      statusCode: null,
      error: 'localhost resolves to a private, loopback or link-local address, which webhooks may not reach',
    });
    expect(receiver.received.length).toBe(before);

    // A pending delivery whose endpoint is then disabled fails without being sent.
    const again = await create(agency, { url: `${receiver.origin}/later`, events: ['IMPORT_COMPLETED'] });
    await gqlOk(RECORD, { input: { clientId: client.id, values: [{ metricKey: 'sessions', date: '2026-03-03', value: '4' }] } }, agency.token);
    const [pending] = await deliveries(again.endpoint.id);
    await gqlOk(UPDATE, { id: again.endpoint.id, input: { enabled: false } }, agency.token);
    await expect(deliverer.deliver({ agencyId: agency.agencyId, deliveryId: pending.id }, { finalAttempt: false })).resolves.toBe('FAILED');
    expect((await deliveries(again.endpoint.id))[0]).toMatchObject({ status: 'FAILED', attempts: 0, lastError: 'the endpoint is disabled: not sent' });
    expect(receiver.received.length).toBe(before);

    const bad = await api.gql(CREATE, { input: { url: 'ftp://example.com/hook', events: ['IMPORT_COMPLETED'] } }, agency.token);
    expect(bad.errors?.[0]).toMatchObject({ message: 'url: must use https', extensions: { code: 'BAD_USER_INPUT' } });
    const noEvents = await api.gql(CREATE, { input: { url: 'https://example.com/hook', events: [] } }, agency.token);
    expect(noEvents.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('keeps an agency’s endpoints and deliveries from another agency, and from client viewers', async () => {
    const endpoint = await create(agency, { url: `${receiver.origin}/isolated`, events: ['REPORT_READY'] });
    const id = endpoint.endpoint.id;
    expect((await api.gqlOk<{ webhookEndpoints: { totalCount: number } }>(LIST, {}, other.token)).webhookEndpoints.totalCount).toBe(0);
    for (const [query, variables] of [
      [DELIVERIES, { id }],
      [UPDATE, { id, input: { enabled: false } }],
      [DELETE, { id }],
      [ROTATE, { id }],
      [TEST, { id }],
    ] as const) {
      const response = await api.gql(query, variables, other.token);
      expect(response.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    const viewer = await newClientViewer(api, agency, (await newClient(api, agency)).id);
    for (const [query, variables] of [
      [LIST, {}],
      [DELIVERIES, { id }],
      [CREATE, { input: { url: 'https://example.com/x', events: ['REPORT_READY'] } }],
      [TEST, { id }],
    ] as const) {
      const response = await api.gql(query, variables, viewer.token);
      expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    // Still there, unchanged, for its own agency; then deleted by its owner.
    expect(await api.gqlOk<{ deleteWebhookEndpoint: string }>(DELETE, { id }, agency.token)).toEqual({ deleteWebhookEndpoint: id });
    expect((await api.gql(DELIVERIES, { id }, agency.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  // Last: the worker also sends what earlier tests left pending (to this receiver, which answers 200).
  it(
    'sends deliveries through the worker on pg-boss, as apps/worker registers it',
    async () => {
      closeWorker = await startWebhookWorker(api.config);
      const endpoint = await create(agency, { url: `${receiver.origin}/worker`, events: ['IMPORT_COMPLETED'] });
      const client = await newClient(api, agency);
      await gqlOk(RECORD, { input: { clientId: client.id, values: [{ metricKey: 'sessions', date: '2026-03-04', value: '5' }] } }, agency.token);
      const deadline = Date.now() + 30_000;
      let [delivery] = await deliveries(endpoint.endpoint.id);
      while (delivery.status === 'PENDING' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        [delivery] = await deliveries(endpoint.endpoint.id);
      }
      expect(delivery).toMatchObject({ status: 'SUCCEEDED', attempts: 1, lastStatusCode: 200 });
      const sent = receiver.received.filter((request) => request.path === '/worker');
      expect(sent).toHaveLength(1);
      expect(verifyWebhookSignature(sent[0].headers['pilotage-signature'] as string, endpoint.secret, sent[0].body)).toEqual({ valid: true });
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
