import type { Pool } from 'pg';
import type { ReportEntity } from '@pilotage/database';
import { newClientViewer } from '../support/factories';
import { startTestApi, type GraphqlResponse, type TestApi } from '../support/test-api';
import { ownerPool } from '../support/test-database';
import { requestAndRender, seedFrenchShop, storedPdf, type SeededShop } from '../reports/report-fixtures';
import { REPORT_SETUP_TIMEOUT_MS, RENDER_TEST_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

/*
 * Issue #11, item 5: archiving a client makes it read-only and ends its links and its viewers'
 * access; a re-rendered report invalidates the links to its earlier rendering.
 */

const DOWNLOAD_URL = `query ($id: ID!) { reportDownloadUrl(id: $id) { url } }`;
const EDIT = `mutation ($input: UpdateReportCommentaryInput!) { updateReportCommentary(input: $input) { id status checksum } }`;
const APPROVE = `mutation ($id: ID!) { approveReport(id: $id) { id status } }`;

function codeOf(response: GraphqlResponse<unknown>): unknown {
  return response.errors?.[0]?.extensions?.code;
}

describe('archived clients and superseded links (issue #11, item 5)', () => {
  let api: TestApi;
  let shop: SeededShop;
  let report: ReportEntity;
  let owner: Pool;

  beforeAll(async () => {
    api = await startTestApi();
    owner = ownerPool();
    shop = await seedFrenchShop(api);
    report = await requestAndRender(api, shop.agency, shop.clientId);
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await owner.end();
    await api.close();
  }, TEARDOWN_TIMEOUT_MS);

  async function linkOf(reportId: string, token = shop.agency.token): Promise<string> {
    const data = await api.gqlOk<{ reportDownloadUrl: { url: string } }>(DOWNLOAD_URL, { id: reportId }, token);
    return data.reportDownloadUrl.url.replace(api.config.publicUrl, api.baseUrl);
  }

  async function countRows(table: string): Promise<number> {
    const result = await owner.query<{ count: string }>(`SELECT count(*) FROM ${table} WHERE agency_id = $1`, [shop.agency.agencyId]);
    return Number(result.rows[0]?.count ?? '0');
  }

  it(
    'refuses the link to an earlier rendering once the report is rendered again after a commentary edit',
    async () => {
      const oldLink = await linkOf(report.id);
      const before = await fetch(oldLink);
      expect(before.status).toBe(200);
      await before.arrayBuffer();

      const edited = await api.gqlOk<{ updateReportCommentary: { status: string; checksum: string } }>(
        EDIT,
        { input: { reportId: report.id, commentary: 'Un mois record : la conversion progresse.' } },
        shop.agency.token,
      );
      expect(edited.updateReportCommentary.status).toBe('READY');
      expect(edited.updateReportCommentary.checksum).not.toBe(report.checksum);

      const stale = await fetch(oldLink);
      expect(stale.status).toBe(404);
      expect(await stale.json()).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/earlier rendering of the report.*ask for a new link/) });

      const fresh = await fetch(await linkOf(report.id));
      expect(fresh.status).toBe(200);
      const pdf = Buffer.from(await fresh.arrayBuffer());
      expect(pdf.equals(await storedPdf(api, { storageKey: report.storageKey }))).toBe(true);
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it(
    'ends links and viewer access and makes the client read-only once archived',
    async () => {
      await api.gqlOk(APPROVE, { id: report.id }, shop.agency.token);
      const viewer = await newClientViewer(api, shop.agency, shop.clientId);
      const CLIENT = `query ($id: ID!) { client(id: $id) { id } }`;
      const REPORT = `query ($id: ID!) { report(id: $id) { id } }`;
      const REPORTS = `query ($clientId: ID!) { reports(clientId: $clientId, first: 5) { totalCount } }`;
      const CLIENTS = `{ clients(first: 5, includeArchived: true) { totalCount } }`;
      // Before archiving, the viewer reads the report and links download.
      expect((await api.gqlOk<{ client: { id: string } }>(CLIENT, { id: shop.clientId }, viewer.token)).client.id).toBe(shop.clientId);
      expect((await api.gqlOk<{ report: { id: string } }>(REPORT, { id: report.id }, viewer.token)).report.id).toBe(report.id);
      const staffLink = await linkOf(report.id);
      const viewerLink = await linkOf(report.id, viewer.token);

      await api.gqlOk(`mutation ($id: ID!) { archiveClient(id: $id) { id archived } }`, { id: shop.clientId }, shop.agency.token);
      const written = await Promise.all(['metric_values', 'reports', 'users', 'kickoffs', 'metric_imports'].map(countRows));

      // Links handed out before the archiving stop working; no new ones are handed out.
      for (const link of [staffLink, viewerLink]) {
        const response = await fetch(link);
        expect(response.status).toBe(404);
        expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
      }
      const newLink = await api.gql(DOWNLOAD_URL, { id: report.id }, shop.agency.token);
      expect(codeOf(newLink)).toBe('CONFLICT');
      expect(newLink.errors?.[0].message).toMatch(/Maison Lumière.*is archived/);

      // The viewer's access ends: their client and its reports are NOT_FOUND.
      expect(codeOf(await api.gql(CLIENT, { id: shop.clientId }, viewer.token))).toBe('NOT_FOUND');
      expect(codeOf(await api.gql(REPORT, { id: report.id }, viewer.token))).toBe('NOT_FOUND');
      expect(codeOf(await api.gql(REPORTS, { clientId: shop.clientId }, viewer.token))).toBe('NOT_FOUND');
      expect(codeOf(await api.gql(DOWNLOAD_URL, { id: report.id }, viewer.token))).toBe('NOT_FOUND');
      expect(codeOf(await api.gql(`{ kpiCatalog { key } }`, {}, viewer.token))).toBe('NOT_FOUND');
      expect((await api.gqlOk<{ clients: { totalCount: number } }>(CLIENTS, {}, viewer.token)).clients.totalCount).toBe(0);

      // Read-only: no invitations, values, imports, reports, re-renders or kickoff changes.
      const refusals: Array<[string, GraphqlResponse<unknown>]> = [
        [
          'inviteUser',
          await api.gql(
            `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
            { input: { email: 'late@maison-lumiere.example', displayName: 'Late viewer', role: 'CLIENT_VIEWER', clientId: shop.clientId } },
            shop.agency.token,
          ),
        ],
        [
          'recordMetricValues',
          await api.gql(
            `mutation ($input: RecordMetricValuesInput!) { recordMetricValues(input: $input) { inserted } }`,
            { input: { clientId: shop.clientId, values: [{ metricKey: 'visitors', date: '2026-11-01', value: '10' }] } },
            shop.agency.token,
          ),
        ],
        ['updateReportCommentary', await api.gql(EDIT, { input: { reportId: report.id, commentary: 'Encore' } }, shop.agency.token)],
        ['sendReport', await api.gql(`mutation ($id: ID!) { sendReport(id: $id) { id } }`, { id: report.id }, shop.agency.token)],
        [
          'updateClient',
          await api.gql(
            `mutation ($input: UpdateClientInput!) { updateClient(input: $input) { id } }`,
            { input: { id: shop.clientId, name: 'Renamed' } },
            shop.agency.token,
          ),
        ],
      ];
      for (const [operation, response] of refusals) {
        expect({ operation, code: codeOf(response) }).toEqual({ operation, code: 'CONFLICT' });
        expect({ operation, message: response.errors?.[0].message }).toEqual({
          operation,
          message: expect.stringMatching(/Maison Lumière.*is archived: it is read-only/),
        });
      }
      const generated = await api.gql(
        `mutation ($input: GenerateReportInput!) { generateReport(input: $input) { id } }`,
        { input: { clientId: shop.clientId, periodStart: '2026-11-01' } },
        shop.agency.token,
      );
      expect(generated.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'clientId' }] });
      const kickoff = await api.gql(
        `mutation ($input: StartKickoffInput!) { startKickoff(input: $input) { id } }`,
        { input: { clientId: shop.clientId, businessModel: 'ECOMMERCE', coreTarget: 'Encore' } },
        shop.agency.token,
      );
      expect(kickoff.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'clientId' }] });
      const imported = await fetch(`${api.baseUrl}/clients/${shop.clientId}/metric-imports`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${shop.agency.token}` },
        body: 'date;metric;value\n2026-11-01;visitors;10\n',
      });
      expect(imported.status).toBe(409);
      expect(await imported.json()).toMatchObject({ code: 'CONFLICT', clientId: shop.clientId });

      expect(await Promise.all(['metric_values', 'reports', 'users', 'kickoffs', 'metric_imports'].map(countRows))).toEqual(written);
      const stored = await owner.query<{ name: string; commentary: string }>(
        'SELECT c.name, r.commentary FROM clients c JOIN reports r ON r.agency_id = c.agency_id AND r.client_id = c.id WHERE r.id = $1',
        [report.id],
      );
      expect(stored.rows).toEqual([{ name: 'Maison Lumière', commentary: 'Un mois record : la conversion progresse.' }]);
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it('refuses kickoff changes on an archived client’s draft kickoff', async () => {
    // A draft started before the archiving (the seeded one is approved): written directly, as the API no longer allows it.
    const draft = await owner.query<{ id: string }>(
      `INSERT INTO kickoffs (agency_id, id, client_id, status, business_model, traits, channels, core_target, objective_keys)
       SELECT agency_id, gen_random_uuid(), client_id, 'DRAFT', business_model, traits, channels, core_target, '{}' FROM kickoffs
       WHERE agency_id = $1 AND client_id = $2 LIMIT 1 RETURNING id`,
      [shop.agency.agencyId, shop.clientId],
    );
    const kickoffId = draft.rows[0]?.id;
    const response = await api.gql(
      `mutation ($input: SetKickoffObjectivesInput!) { setKickoffObjectives(input: $input) { kickoff { id } } }`,
      { input: { kickoffId, objectiveKeys: ['INCREASE_SALES'] } },
      shop.agency.token,
    );
    expect(codeOf(response)).toBe('CONFLICT');
    expect(response.errors?.[0].message).toMatch(/Maison Lumière.*is archived/);
  });
});
