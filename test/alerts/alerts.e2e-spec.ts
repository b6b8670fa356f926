import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Pool } from 'pg';
import { AlertDigest, AlertEvaluator, AlertJobHandlers, AlertJobQueue, AlertsModule, localHour } from '@pilotage/alerts';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { DatabaseModule } from '@pilotage/database';
import { EventsModule } from '@pilotage/events';
import { METRICS_CHANGED_QUEUE } from '@pilotage/events';
import { addDays, localDate } from '@pilotage/kpi';
import { approvePlan, newAgency, newClient, newClientViewer, TEST_PASSWORD, type TestAgency } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { ownerPool, testDatabase } from '../support/test-database';
import { trackUntilClosed } from '../support/test-resources';
import { APP_BOOT_TIMEOUT_MS, E2E_TEST_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

/*
 * Alerts end to end: values written through the API's import mutation, the evaluation run by
 * the worker's AlertEvaluator (called directly: the import does not queue `metrics.changed` until
 * MetricImportService calls DomainEvents.metricsImported, helper "hooks"), read and acted on
 * through GraphQL, the digest sent to a real SMTP peer.
 */

const TODAY = '2026-03-20';
const YESTERDAY = '2026-03-19';
const FIRST_DAY = '2026-01-01';
const PLAN_KPIS = ['ecommerce_conversion_rate', 'sessions', 'revenue', 'customer_acquisition_cost'];
const RECORD = `mutation ($input: RecordMetricValuesInput!) { recordMetricValues(input: $input) { importId inserted updated unchanged } }`;
const ALERTS = `query ($clientId: ID, $status: AlertStatus, $rule: AlertRule, $first: Int, $after: String) {
  alerts(clientId: $clientId, status: $status, rule: $rule, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id clientId rule kpiKey periodKey status severity message details acknowledgedBy resolvedAt resolvedBy } }
  }
}`;
const ACKNOWLEDGE = `mutation ($id: ID!) { acknowledgeAlert(id: $id) { id status acknowledgedBy } }`;
const RESOLVE = `mutation ($id: ID!) { resolveAlert(id: $id) { id status resolvedBy resolvedAt } }`;
const SETTINGS = `query ($clientId: ID!) { alertSettings(clientId: $clientId) { kpiKey muted sensitivity } }`;
const UPDATE_SETTINGS = `mutation ($input: UpdateAlertSettingsInput!) { updateAlertSettings(input: $input) { clientId kpiKey muted sensitivity } }`;

interface AlertNode {
  id: string;
  clientId: string;
  rule: string;
  kpiKey: string;
  periodKey: string;
  status: string;
  severity: string;
  message: string;
  details: string;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

interface AlertsResult {
  alerts: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: AlertNode }> };
}

/** Every day from `from` to `to` inclusive. */
function days(from: string, to: string): string[] {
  const list: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) list.push(day);
  return list;
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
function weekday(day: string): number {
  const index = new Date(`${day}T00:00:00Z`).getUTCDay();
  return index === 0 ? 7 : index;
}

/** A normal weekly cycle: weekdays about 1,000 sessions, weekends about 400, with a small deterministic wobble. */
function weeklyCycle(day: string, index: number): number {
  const base = weekday(day) >= 6 ? 400 : 1000;
  return base + ((index * 37) % 60) - 30;
}

@Global()
@Module({})
class AlertsWorkerConfigModule {}

/** The worker's alert handlers (AlertsModule.forWorker) on the test database, no cron. */
async function startAlertsWorker(config: AppConfig): Promise<{ app: INestApplicationContext; close: () => Promise<void> }> {
  const database = testDatabase();
  const booting = NestFactory.createApplicationContext(
    {
      module: AlertsWorkerConfigModule,
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
      imports: [
        DatabaseModule.forRoot({ url: database.appUrl, poolSize: 3, applicationName: 'pilotage-test-alerts' }),
        EventsModule.forRoot(),
        AlertsModule.forWorker({ queueUrl: database.queueUrl, schedule: false, pollingIntervalSeconds: 0.5 }),
      ],
    },
    { logger: false },
  ).then(async (created) => {
    await created.init();
    return created;
  });
  const close = trackUntilClosed(booting, (started) => started.close());
  return { app: await booting, close };
}

describe('Alerts', () => {
  let api: TestApi;
  let owner: Pool;
  let agency: TestAgency;
  let other: TestAgency;
  let worker: { app: INestApplicationContext; close: () => Promise<void> };
  let evaluator: AlertEvaluator;

  async function record(clientId: string, values: Array<{ date: string; value: number; metricKey?: string }>): Promise<void> {
    await api.gqlOk(
      RECORD,
      { input: { clientId, values: values.map(({ date, value, metricKey }) => ({ metricKey: metricKey ?? 'sessions', date, value: String(value) })) } },
      agency.token,
    );
  }

  async function alertsOf(clientId: string | null, token = agency.token, filters: Record<string, unknown> = {}): Promise<AlertNode[]> {
    const data = await api.gqlOk<AlertsResult>(ALERTS, { clientId, first: 100, ...filters }, token);
    return data.alerts.edges.map((edge) => edge.node);
  }

  /** A client with the plan's KPIs and, when given, a March target of sessions. */
  async function planned(sessionsTarget: number | null): Promise<string> {
    const client = await newClient(api, agency, { timeZone: 'Europe/Paris' });
    await approvePlan(api, agency, {
      clientId: client.id,
      businessModel: 'ECOMMERCE',
      channels: ['SEO', 'PAID_SEARCH', 'EMAIL'],
      coreTarget: 'Amateurs de luminaires',
      objectiveKeys: ['INCREASE_SALES'],
      selections: PLAN_KPIS.map((kpiKey) => ({ kpiKey, objectiveKey: 'INCREASE_SALES' })),
      ...(sessionsTarget === null ? {} : { targets: { year: 2026, values: [{ kpiKey: 'sessions', month: 3, value: sessionsTarget }] } }),
    });
    return client.id;
  }

  /** Invites a MANAGER and lets them accept: a person who can log in. */
  async function newManager(of: TestAgency): Promise<{ userId: string; email: string }> {
    const email = `pm-${randomUUID().slice(0, 8)}@example.com`;
    const invited = await api.gqlOk<{ inviteUser: { token: string } }>(
      `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
      { input: { email, displayName: 'Project manager', role: 'MANAGER' } },
      of.token,
    );
    const accepted = await api.gqlOk<{ acceptInvitation: { user: { id: string } } }>(
      `mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { user { id } } }`,
      { input: { token: invited.inviteUser.token, password: TEST_PASSWORD } },
    );
    return { userId: accepted.acceptInvitation.user.id, email };
  }

  beforeAll(async () => {
    // Imports may queue `metrics.changed` (once MetricImportService announces them): an hour's
    // debounce keeps those evaluations, which judge the real today, out of this suite's fixed dates.
    api = await startTestApi({ ALERT_EVALUATION_DEBOUNCE_SECONDS: '3600' });
    owner = ownerPool();
    agency = await newAgency(api, { locale: 'fr' });
    other = await newAgency(api, { locale: 'en' });
    worker = await startAlertsWorker(api.config);
    evaluator = worker.app.get(AlertEvaluator);
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await worker?.close();
    await owner?.end();
    await api?.close();
  }, TEARDOWN_TIMEOUT_MS);

  it(
    'an import that pushes a KPI off track opens one alert, an identical import none, a recovery resolves it',
    async () => {
      const clientId = await planned(31_000);
      // An endpoint subscribed to the alerts' events (the webhooks' own API is another feature's): every event leaves a delivery.
      await owner.query(
        `INSERT INTO webhook_endpoints (agency_id, id, url, format, events, secret_ciphertext, secret_key_id)
         VALUES ($1, $2, 'https://hooks.example.com/pilotage', 'JSON', '{alert.opened,alert.resolved}', '\\x00'::bytea, 'test')`,
        [agency.agencyId, randomUUID()],
      );
      const deliveries = async (): Promise<Array<{ event_type: string; alert_id: string }>> =>
        (
          await owner.query<{ event_type: string; alert_id: string }>(
            `SELECT event_type, payload->'data'->>'alertId' AS alert_id FROM webhook_deliveries
              WHERE agency_id = $1 AND payload->>'clientId' = $2 ORDER BY created_at, event_type`,
            [agency.agencyId, clientId],
          )
        ).rows;
      // 500 sessions a day since January against 1,000 a day planned for March: off track, and no unusual day.
      await record(
        clientId,
        days(FIRST_DAY, YESTERDAY).map((date) => ({ date, value: 500 })),
      );
      expect(await evaluator.evaluateClient(agency.agencyId, clientId, TODAY)).toEqual({ opened: 1, updated: 0, resolved: 0 });
      const [alert, ...others] = await alertsOf(clientId);
      expect(others).toEqual([]);
      expect(alert).toMatchObject({ rule: 'STATUS', kpiKey: 'sessions', periodKey: '2026-03', status: 'OPEN', severity: 'CRITICAL', resolvedAt: null });
      expect(alert.message).toMatch(/^Sessions hors trajectoire : 9\s500 pour un objectif de/);
      expect(JSON.parse(alert.details)).toMatchObject({ status: 'OFF_TRACK', value: 9500, target: 31_000 });

      await record(
        clientId,
        days(FIRST_DAY, YESTERDAY).map((date) => ({ date, value: 500 })),
      );
      expect(await evaluator.evaluateClient(agency.agencyId, clientId, TODAY)).toEqual({ opened: 0, updated: 0, resolved: 0 });
      expect(await alertsOf(clientId)).toHaveLength(1);
      expect(await deliveries()).toEqual([{ event_type: 'alert.opened', alert_id: alert.id }]);

      const acknowledged = await api.gqlOk<{ acknowledgeAlert: { status: string; acknowledgedBy: string } }>(ACKNOWLEDGE, { id: alert.id }, agency.token);
      expect(acknowledged.acknowledgeAlert).toEqual({ id: alert.id, status: 'ACKNOWLEDGED', acknowledgedBy: agency.userId });

      // 1,100 a day: ahead of the paced target; the acknowledged alert is resolved by the evaluation (no person).
      await record(
        clientId,
        days(FIRST_DAY, YESTERDAY).map((date) => ({ date, value: 1100 })),
      );
      expect(await evaluator.evaluateClient(agency.agencyId, clientId, TODAY)).toEqual({ opened: 0, updated: 0, resolved: 1 });
      const [resolved] = await alertsOf(clientId);
      expect(resolved).toMatchObject({ id: alert.id, status: 'RESOLVED', resolvedBy: null });
      expect(resolved.resolvedAt).not.toBeNull();
      expect(await deliveries()).toEqual([
        { event_type: 'alert.opened', alert_id: alert.id },
        { event_type: 'alert.resolved', alert_id: alert.id },
      ]);
      // Off track again the same month: the resolved alert is not reopened, no second one opens.
      await record(
        clientId,
        days('2026-03-01', YESTERDAY).map((date) => ({ date, value: 500 })),
      );
      expect((await evaluator.evaluateClient(agency.agencyId, clientId, TODAY)).opened).toBe(0);
      const { rows: events } = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM alerts WHERE client_id = $1`, [clientId]);
      expect(events[0].n).toBe(1);
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'two evaluations of a client at once (its job and the daily tick) open its alert once',
    async () => {
      const clientId = await planned(31_000);
      await record(
        clientId,
        days(FIRST_DAY, YESTERDAY).map((date) => ({ date, value: 500 })),
      );
      const results = await Promise.all([1, 2, 3].map(() => evaluator.evaluateClient(agency.agencyId, clientId, TODAY)));
      expect(results.map((result) => result.opened).sort()).toEqual([0, 0, 1]);
      expect(await alertsOf(clientId)).toHaveLength(1);
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'a normal weekly cycle over 11 weeks is not flagged; a spike on the last day is, once',
    async () => {
      const clientId = await planned(null);
      await record(
        clientId,
        days(FIRST_DAY, YESTERDAY).map((date, index) => ({ date, value: weeklyCycle(date, index) })),
      );
      expect(await evaluator.evaluateClient(agency.agencyId, clientId, TODAY)).toEqual({ opened: 0, updated: 0, resolved: 0 });
      // A Saturday, low by habit, is not unusual either.
      expect(await evaluator.evaluateClient(agency.agencyId, clientId, '2026-03-15')).toEqual({ opened: 0, updated: 0, resolved: 0 });

      await record(clientId, [{ date: YESTERDAY, value: 5000 }]);
      expect(await evaluator.evaluateClient(agency.agencyId, clientId, TODAY)).toEqual({ opened: 1, updated: 0, resolved: 0 });
      expect(await evaluator.evaluateClient(agency.agencyId, clientId, TODAY)).toEqual({ opened: 0, updated: 0, resolved: 0 });
      const alerts = await alertsOf(clientId);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ rule: 'ANOMALY', kpiKey: 'sessions', periodKey: YESTERDAY, status: 'OPEN', severity: 'WARNING' });
      const details = JSON.parse(alerts[0].details) as { value: number; median: number; direction: string; score: number };
      expect(details).toMatchObject({ value: 5000, direction: 'UP' });
      expect(details.median).toBeGreaterThan(950);
      expect(details.median).toBeLessThan(1050);
      expect(details.score).toBeGreaterThan(3.5);
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'no value for days where values came daily opens NO_DATA; a day of zeros is data and resolves it',
    async () => {
      const clientId = await planned(null);
      await record(
        clientId,
        days(FIRST_DAY, '2026-03-14').map((date, index) => ({ date, value: weeklyCycle(date, index) })),
      );
      expect(await evaluator.evaluateClient(agency.agencyId, clientId, TODAY)).toMatchObject({ opened: 1 });
      const [noData] = await alertsOf(clientId, agency.token, { rule: 'NO_DATA' });
      expect(noData).toMatchObject({ kpiKey: 'sessions', periodKey: '2026-03-15', status: 'OPEN' });
      expect(JSON.parse(noData.details)).toMatchObject({ lastDate: '2026-03-14', missingDays: 5 });
      expect(noData.message).toBe('Sessions : aucune donnée depuis le 15 mars (5 jours)');

      await record(
        clientId,
        days('2026-03-15', YESTERDAY).map((date) => ({ date, value: 0 })),
      );
      const after = await evaluator.evaluateClient(agency.agencyId, clientId, TODAY);
      expect(after.resolved).toBe(1);
      const [resolved] = await alertsOf(clientId, agency.token, { rule: 'NO_DATA' });
      expect(resolved).toMatchObject({ id: noData.id, status: 'RESOLVED', resolvedBy: null });
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'a muted KPI opens nothing, and opens again once unmuted; settings are per client and per KPI',
    async () => {
      const clientId = await planned(31_000);
      const muted = await api.gqlOk<{ updateAlertSettings: unknown }>(UPDATE_SETTINGS, { input: { clientId, kpiKey: 'sessions', muted: true } }, agency.token);
      expect(muted.updateAlertSettings).toEqual({ clientId, kpiKey: 'sessions', muted: true, sensitivity: 'NORMAL' });
      await api.gqlOk(UPDATE_SETTINGS, { input: { clientId, sensitivity: 'LOW' } }, agency.token);
      const settings = await api.gqlOk<{ alertSettings: unknown[] }>(SETTINGS, { clientId }, agency.token);
      expect(settings.alertSettings).toEqual([
        { kpiKey: null, muted: false, sensitivity: 'LOW' },
        { kpiKey: 'sessions', muted: true, sensitivity: 'NORMAL' },
      ]);
      const unknown = await api.gql(UPDATE_SETTINGS, { input: { clientId, kpiKey: 'no_such_kpi', muted: true } }, agency.token);
      expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });

      await record(
        clientId,
        days(FIRST_DAY, YESTERDAY).map((date) => ({ date, value: 500 })),
      );
      expect(await evaluator.evaluateClient(agency.agencyId, clientId, TODAY)).toEqual({ opened: 0, updated: 0, resolved: 0 });
      expect(await alertsOf(clientId)).toEqual([]);

      await api.gqlOk(UPDATE_SETTINGS, { input: { clientId, kpiKey: 'sessions', muted: false } }, agency.token);
      expect((await evaluator.evaluateClient(agency.agencyId, clientId, TODAY)).opened).toBe(1);
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'the digest sends one e-mail per project manager with their clients’ alerts grouped by client, and none when nothing is new',
    async () => {
      const agencyId = agency.agencyId;
      const digest = worker.app.get(AlertDigest);
      // Alerts of the previous tests: every client of the agency is the owner's (no project manager set).
      // Alerts opened in the last day (resolved since or not) and open ones: every client of the previous tests with an alert.
      const { rows: open } = await owner.query<{ n: number }>(`SELECT count(DISTINCT client_id)::int AS n FROM alerts WHERE agency_id = $1`, [agencyId]);
      expect(open[0].n).toBeGreaterThanOrEqual(2);
      // One client gets a project manager: their alerts go to the manager, the others' to the owner.
      const pm = await newManager(agency);
      const { rows: managed } = await owner.query<{ client_id: string; name: string }>(
        `UPDATE clients SET project_manager_id = $2
          WHERE id = (SELECT client_id FROM alerts WHERE agency_id = $1 ORDER BY opened_at LIMIT 1) RETURNING id AS client_id, name`,
        [agencyId, pm.userId],
      );
      const before = api.smtp.received.length;
      expect(await digest.sendForAgency(agencyId, new Date())).toBe(2);
      const mails = api.smtp.received.slice(before);
      expect(mails.map((mail) => mail.to).sort()).toEqual([[agency.email], [pm.email]].sort());
      const toOwner = mails.find((mail) => mail.to[0] === agency.email)?.mail.text ?? '';
      const toPm = mails.find((mail) => mail.to[0] === pm.email)?.mail;
      expect(toPm?.subject).toMatch(/^\d+ nouvelles? alertes? sur vos clients$/);
      expect(toPm?.text).toContain(managed[0].name);
      expect(toPm?.text).toContain('Sessions hors trajectoire');
      expect((toPm?.text?.match(/^Client /gm) ?? []).length).toBe(1);
      expect(toOwner).not.toContain(managed[0].name);
      expect((toOwner.match(/^Client /gm) ?? []).length).toBe(open[0].n - 1);

      // A day later, nothing opened since: no mail.
      const later = new Date(Date.now() + 25 * 60 * 60 * 1000);
      expect(await digest.sendForAgency(agencyId, later)).toBe(0);
      expect(api.smtp.received.slice(before)).toHaveLength(2);
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'another agency cannot read, acknowledge, resolve or set; a viewer reads its client’s alerts only when allowed and never acts',
    async () => {
      const clientId = await planned(31_000);
      await record(
        clientId,
        days(FIRST_DAY, YESTERDAY).map((date) => ({ date, value: 500 })),
      );
      await evaluator.evaluateClient(agency.agencyId, clientId, TODAY);
      const [alert] = await alertsOf(clientId);

      expect(await alertsOf(null, other.token)).toEqual([]);
      for (const operation of [ACKNOWLEDGE, RESOLVE]) {
        const refused = await api.gql(operation, { id: alert.id }, other.token);
        expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      }
      expect((await api.gql(ALERTS, { clientId }, other.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect((await api.gql(SETTINGS, { clientId }, other.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect((await api.gql(UPDATE_SETTINGS, { input: { clientId, muted: true } }, other.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const { rows: untouched } = await owner.query<{ status: string; muted: number }>(
        `SELECT status, (SELECT count(*)::int FROM alert_settings WHERE client_id = $2) AS muted FROM alerts WHERE id = $1`,
        [alert.id, clientId],
      );
      expect(untouched).toEqual([{ status: 'OPEN', muted: 0 }]);

      const viewer = await newClientViewer(api, agency, clientId);
      expect(await alertsOf(null, viewer.token)).toEqual([]);
      await owner.query(`UPDATE clients SET viewer_alerts_visible = true WHERE id = $1`, [clientId]);
      const seen = await alertsOf(null, viewer.token);
      expect(seen.map((node) => node.id)).toEqual([alert.id]);
      // The agency's other clients' alerts stay hidden, even when asked by id.
      const otherClient = (await alertsOf(null)).find((node) => node.clientId !== clientId);
      expect(otherClient).toBeDefined();
      expect((await api.gql(ALERTS, { clientId: otherClient?.clientId }, viewer.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect((await api.gql(ACKNOWLEDGE, { id: alert.id }, viewer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await api.gql(SETTINGS, { clientId }, viewer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

      const resolved = await api.gqlOk<{ resolveAlert: { status: string; resolvedBy: string } }>(RESOLVE, { id: alert.id }, agency.token);
      expect(resolved.resolveAlert).toMatchObject({ status: 'RESOLVED', resolvedBy: agency.userId });
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'pages newest first with a cursor',
    async () => {
      const first = await api.gqlOk<AlertsResult>(ALERTS, { first: 1 }, agency.token);
      expect(first.alerts.totalCount).toBeGreaterThan(1);
      expect(first.alerts.pageInfo.hasNextPage).toBe(true);
      const second = await api.gqlOk<AlertsResult>(ALERTS, { first: 1, after: first.alerts.pageInfo.endCursor }, agency.token);
      expect(second.alerts.edges[0].node.id).not.toBe(first.alerts.edges[0].node.id);
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'the worker evaluates a client on its metrics.changed job, and every client once a day at ALERT_DIGEST_HOUR of the agency',
    async () => {
      // Real today: these evaluations judge the current date. Values came daily until 10 days ago.
      const today = localDate(new Date(), 'Europe/Paris');
      const third = await newAgency(api, { locale: 'en' });
      const clientOf = async (): Promise<string> => {
        const client = await newClient(api, third, { timeZone: 'Europe/Paris', locale: 'en' });
        await approvePlan(api, third, {
          clientId: client.id,
          businessModel: 'ECOMMERCE',
          channels: ['SEO', 'PAID_SEARCH', 'EMAIL'],
          coreTarget: 'Lighting lovers',
          objectiveKeys: ['INCREASE_SALES'],
          selections: PLAN_KPIS.map((kpiKey) => ({ kpiKey, objectiveKey: 'INCREASE_SALES' })),
        });
        await api.gqlOk(
          RECORD,
          {
            input: {
              clientId: client.id,
              values: days(addDays(today, -70), addDays(today, -10)).map((date, index) => ({
                metricKey: 'sessions',
                date,
                value: String(weeklyCycle(date, index)),
              })),
            },
          },
          third.token,
        );
        return client.id;
      };
      const noDataOf = async (clientId: string): Promise<AlertNode[]> =>
        (await api.gqlOk<AlertsResult>(ALERTS, { clientId, first: 10, rule: 'NO_DATA' }, third.token)).alerts.edges.map((edge) => edge.node);

      const byJob = await clientOf();
      const boss = await worker.app.get(AlertJobQueue).worker();
      await boss.send(METRICS_CHANGED_QUEUE, { agencyId: third.agencyId, clientId: byJob });
      const deadline = Date.now() + 20_000;
      while ((await noDataOf(byJob)).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      const [alert] = await noDataOf(byJob);
      expect(alert).toMatchObject({ kpiKey: 'sessions', periodKey: addDays(today, -9), status: 'OPEN' });
      expect(alert.message).toMatch(/^Sessions: no data since /);

      const byTick = await clientOf();
      const handlers = worker.app.get(AlertJobHandlers);
      // An hour of today (UTC) that is not ALERT_DIGEST_HOUR in Paris evaluates nobody of this agency; the one that is, everyone.
      const hours = Array.from({ length: 24 }, (_, hour) => new Date(`${new Date().toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:05:00Z`));
      const due = hours.find((hour) => localHour(hour, 'Europe/Paris') === api.config.alerts.digestHour);
      const notDue = hours.find((hour) => localHour(hour, 'Europe/Paris') !== api.config.alerts.digestHour);
      if (due === undefined || notDue === undefined) throw new Error('no due hour today');
      await handlers.dailyTick(notDue);
      expect(await noDataOf(byTick)).toEqual([]);
      expect((await handlers.dailyTick(due)).queued).toBeGreaterThanOrEqual(2);
      // The tick queues one evaluation job per client; the worker's lanes run them.
      const tickDeadline = Date.now() + 20_000;
      while ((await noDataOf(byTick)).length === 0 && Date.now() < tickDeadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await noDataOf(byTick)).toHaveLength(1);
      // The job's client was evaluated again: nothing new.
      expect(await noDataOf(byJob)).toEqual([alert]);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
