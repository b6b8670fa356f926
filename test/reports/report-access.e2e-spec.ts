import { createSignedDownloadToken } from '@pilotage/reporting';
import type { ReportEntity } from '@pilotage/database';
import { ownerPool } from '../support/test-database';
import { newAgency, newClient, newClientViewer, type TestAgency } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { requestAndRender, seedFrenchShop, storedPdf, type SeededShop } from './report-fixtures';
import { REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const REPORT = `query ($id: ID!) { report(id: $id) { id status clientId version pageCount checksum } }`;
const REPORTS = `query ($clientId: ID!, $first: Int! = 20, $after: String) {
  reports(clientId: $clientId, first: $first, after: $after) { totalCount edges { cursor node { id status version } } pageInfo { hasNextPage endCursor } } }`;
const DOWNLOAD_URL = `query ($id: ID!) { reportDownloadUrl(id: $id) { url expiresAt } }`;
const APPROVE = `mutation ($id: ID!) { approveReport(id: $id) { id status } }`;
const SEND = `mutation ($id: ID!) { sendReport(id: $id) { id status } }`;
const PREVIEW = `query ($clientId: ID!, $month: String!) { reportPreview(clientId: $clientId, month: $month) { pngBase64 } }`;
const EDIT = `mutation ($input: UpdateReportCommentaryInput!) { updateReportCommentary(input: $input) { id status } }`;

describe('report access', () => {
  let api: TestApi;
  let shop: SeededShop;
  let reportId: string;
  let rendered: ReportEntity;
  let otherAgency: TestAgency;
  let viewer: { token: string };
  let otherClientViewer: { token: string };

  beforeAll(async () => {
    api = await startTestApi();
    shop = await seedFrenchShop(api);
    rendered = await requestAndRender(api, shop.agency, shop.clientId);
    reportId = rendered.id;
    otherAgency = await newAgency(api);
    viewer = await newClientViewer(api, shop.agency, shop.clientId);
    const otherClient = await newClient(api, shop.agency, { name: 'Autre client' });
    otherClientViewer = await newClientViewer(api, shop.agency, otherClient.id);
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(() => api.close(), TEARDOWN_TIMEOUT_MS);

  async function download(url: string): Promise<Response> {
    return fetch(url.replace(api.config.publicUrl, api.baseUrl));
  }

  it('lets the agency read, list and download its report as a PDF through a short-lived signed link', async () => {
    const read = await api.gqlOk<{ report: { status: string; clientId: string; version: number; pageCount: number } }>(
      REPORT,
      { id: reportId },
      shop.agency.token,
    );
    expect(read.report).toMatchObject({ status: 'READY', clientId: shop.clientId, version: 1 });
    const narrative = await api.gqlOk<{ report: { narrative: string[] | null; draftedNarrative: string[] } }>(
      `query ($id: ID!) { report(id: $id) { narrative draftedNarrative } }`,
      { id: reportId },
      shop.agency.token,
    );
    // Nothing edited yet: the report prints the narrative drafted from its figures, in French.
    expect(narrative.report.narrative).toBeNull();
    expect(narrative.report.draftedNarrative.length).toBeGreaterThan(0);
    expect(narrative.report.draftedNarrative.join(' ')).toMatch(/octobre|objectif/i);
    const list = await api.gqlOk<{ reports: { totalCount: number; edges: { node: { id: string } }[] } }>(
      REPORTS,
      { clientId: shop.clientId },
      shop.agency.token,
    );
    expect(list.reports.totalCount).toBe(1);
    expect(list.reports.edges.map((edge) => edge.node.id)).toEqual([reportId]);

    const before = Date.now();
    const link = await api.gqlOk<{ reportDownloadUrl: { url: string; expiresAt: string } }>(DOWNLOAD_URL, { id: reportId }, shop.agency.token);
    expect(link.reportDownloadUrl.url.startsWith(`${api.config.publicUrl}/reports/download/`)).toBe(true);
    const lifetime = Date.parse(link.reportDownloadUrl.expiresAt) - before;
    expect(lifetime).toBeGreaterThan(60_000);
    expect(lifetime).toBeLessThanOrEqual(10 * 60_000);

    const response = await download(link.reportDownloadUrl.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="rapport-maison-lumiere-2026-10-v1.pdf"; filename*=UTF-8''rapport-maison-lumiere-2026-10-v1.pdf`,
    );
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.equals(await storedPdf(api, rendered))).toBe(true);
  });

  it('hides a report from another agency: read, list, download link, approve, send, edit and preview are NOT_FOUND', async () => {
    const token = otherAgency.token;
    expect((await api.gql(REPORT, { id: reportId }, token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(REPORTS, { clientId: shop.clientId }, token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(DOWNLOAD_URL, { id: reportId }, token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(APPROVE, { id: reportId }, token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(SEND, { id: reportId }, token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(EDIT, { input: { reportId, commentary: 'x' } }, token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(PREVIEW, { clientId: shop.clientId, month: '2026-10' }, token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // Nothing changed on the report.
    const read = await api.gqlOk<{ report: { status: string } }>(REPORT, { id: reportId }, shop.agency.token);
    expect(read.report.status).toBe('READY');
  });

  it('shows client viewers only approved reports of their own client; they may not approve, send or edit', async () => {
    // Not approved yet: invisible to the client's own viewer.
    expect((await api.gql(REPORT, { id: reportId }, viewer.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const draftList = await api.gqlOk<{ reports: { totalCount: number } }>(REPORTS, { clientId: shop.clientId }, viewer.token);
    expect(draftList.reports.totalCount).toBe(0);
    expect((await api.gql(APPROVE, { id: reportId }, viewer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    await api.gqlOk(APPROVE, { id: reportId }, shop.agency.token);

    const list = await api.gqlOk<{ reports: { edges: { node: { id: string; status: string } }[] } }>(REPORTS, { clientId: shop.clientId }, viewer.token);
    expect(list.reports.edges.map((edge) => edge.node)).toEqual([{ id: reportId, status: 'APPROVED', version: 1 }]);
    const link = await api.gqlOk<{ reportDownloadUrl: { url: string } }>(DOWNLOAD_URL, { id: reportId }, viewer.token);
    const response = await download(link.reportDownloadUrl.url);
    expect(response.status).toBe(200);
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    expect((await api.gql(SEND, { id: reportId }, viewer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(EDIT, { input: { reportId, commentary: 'x' } }, viewer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await api.gql(PREVIEW, { clientId: shop.clientId, month: '2026-10' }, viewer.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // Another client's viewer sees nothing of it, even approved.
    expect((await api.gql(REPORT, { id: reportId }, otherClientViewer.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(REPORTS, { clientId: shop.clientId }, otherClientViewer.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await api.gql(DOWNLOAD_URL, { id: reportId }, otherClientViewer.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses a forged, tampered, expired or foreign-secret download token', async () => {
    const link = await api.gqlOk<{ reportDownloadUrl: { url: string } }>(DOWNLOAD_URL, { id: reportId }, shop.agency.token);
    const token = link.reportDownloadUrl.url.split('/').pop() ?? '';
    const [payload, signature] = token.split('.');
    const key = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { k: string; e: number };

    const attempts = {
      garbage: 'not-a-token',
      tampered: `${Buffer.from(JSON.stringify({ ...key, e: key.e + 3_600_000 })).toString('base64url')}.${signature ?? ''}`,
      foreignSecret: createSignedDownloadToken({ key: key.k, expiresAt: new Date(Date.now() + 60_000), secret: 'another-secret-of-at-least-32-bytes-long' }),
      expired: createSignedDownloadToken({ key: key.k, expiresAt: new Date(Date.now() - 1000), secret: api.config.downloadUrlSecret }),
    };
    const statuses: Record<string, number> = {};
    for (const [name, attempt] of Object.entries(attempts)) {
      const response = await fetch(`${api.baseUrl}/reports/download/${attempt}`);
      statuses[name] = response.status;
      expect(response.headers.get('content-type')).not.toBe('application/pdf');
    }
    expect(statuses).toEqual({ garbage: 404, tampered: 404, foreignSecret: 404, expired: 403 });
  });

  it('refuses a valid token once the report it names is gone', async () => {
    const link = await api.gqlOk<{ reportDownloadUrl: { url: string } }>(DOWNLOAD_URL, { id: reportId }, shop.agency.token);
    const owner = ownerPool();
    try {
      await owner.query(`DELETE FROM reports WHERE id = $1`, [reportId]);
    } finally {
      await owner.end();
    }
    expect((await download(link.reportDownloadUrl.url)).status).toBe(404);
  });
});
