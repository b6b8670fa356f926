import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { ownerPool } from '../support/test-database';
import { startTestApi, type TestApi } from '../support/test-api';
import { readPdf, requestAndRender, seedFrenchShop, storedPdf, type SeededShop } from './report-fixtures';
import { RENDER_TEST_TIMEOUT_MS, REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const EDIT = `mutation ($input: UpdateReportCommentaryInput!) {
  updateReportCommentary(input: $input) { id status version attempts commentary kpiCommentary { kpiKey text } narrative } }`;
const PREVIEW = `query ($clientId: ID!, $month: String!) { reportPreview(clientId: $clientId, month: $month) { html pngBase64 } }`;

/** Collapses every run of whitespace: pdftotext breaks long lines where the layout wraps them. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

describe('report rendering with hostile agency and manager input', () => {
  let server: Server;
  let hits: string[];
  let port: number;
  let api: TestApi;
  let owner: Pool;
  let shop: SeededShop;

  beforeAll(async () => {
    hits = [];
    server = createServer((request, response) => {
      hits.push(request.url ?? '');
      response.end('<html><body>LOCAL-SECRET</body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    api = await startTestApi();
    owner = ownerPool();
    shop = await seedFrenchShop(api, { clientName: `Maison <img src="http://127.0.0.1:${port}/client-name">` });
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">` +
      `<style>@import url(http://127.0.0.1:${port}/logo-css);</style>` +
      `<image href="http://127.0.0.1:${port}/logo-image" width="10" height="10"/>` +
      `<image xlink:href="file:///etc/passwd" width="10" height="10"/></svg>`;
    await api.gqlOk(
      `mutation ($input: UpdateAgencyInput!) { updateAgency(input: $input) { id } }`,
      {
        input: {
          footerText: `<img src="file:///etc/passwd"><iframe src="http://127.0.0.1:${port}/footer"></iframe><script>fetch('http://127.0.0.1:${port}/js')</script>`,
          logoDataUri: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
        },
      },
      shop.agency.token,
    );
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await owner.end();
    await api.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }, TEARDOWN_TIMEOUT_MS);

  it(
    'prints hostile commentary as text, reads no file and makes no request',
    async () => {
      const report = await requestAndRender(api, shop.agency, shop.clientId);
      const commentary =
        `Analyse du mois <script>document.title='PWNED'</script>\n` +
        `<img src="file:///etc/passwd"> <iframe src="http://127.0.0.1:${port}/commentary"></iframe> **Très bon mois**`;
      const edited = await api.gqlOk<{ updateReportCommentary: { status: string; version: number; attempts: number; commentary: string } }>(
        EDIT,
        {
          input: {
            reportId: report.id,
            commentary,
            kpiCommentary: [{ kpiKey: 'revenue', text: `<img src="http://127.0.0.1:${port}/kpi-commentary"> CA record` }],
            narrative: [`<link rel="stylesheet" href="http://127.0.0.1:${port}/narrative.css">Un mois solide.`],
          },
        },
        shop.agency.token,
      );
      // The same version is rendered again from its frozen figures, with the new content.
      expect(edited.updateReportCommentary).toMatchObject({ status: 'READY', version: 1, attempts: 2, commentary });

      const pdf = await storedPdf(api, (await owner.query(`SELECT storage_key AS "storageKey" FROM reports WHERE id = $1`, [report.id])).rows[0]);
      const text = flat((await readPdf(pdf)).text);
      expect(hits).toEqual([]);
      expect(text).not.toMatch(/root:x?:0:0/);
      expect(text).not.toContain('LOCAL-SECRET');
      // Shown as typed, tags and all: escaped, never interpreted.
      expect(text).toContain(`<script>document.title='PWNED'</script>`);
      expect(text).toContain(`<img src="file:///etc/passwd">`);
      expect(text).toContain(`<iframe src="http://127.0.0.1:${port}/commentary"></iframe>`);
      expect(text).toContain(`<img src="http://127.0.0.1:${port}/kpi-commentary"> CA record`);
      expect(text).toContain(`<link rel="stylesheet" href="http://127.0.0.1:${port}/narrative.css">Un mois solide.`);
      expect(text).toContain(`Maison <img src="http://127.0.0.1:${port}/client-name">`);
      // The footer is drawn on every page; the layout wraps it, hence two checks.
      expect(text).toContain(`<img src="file:///etc/passwd"><iframe src="http://127.0.0.1:${port}/footer"></iframe>`);
      // The running footer is a page-margin box beside the page number: the number can land inside the wrapped text.
      expect(text).toMatch(new RegExp(`<script>fetch\\('http://127\\.0\\.0\\.1:${port}/js'\\)(?: Page \\d+ / )?</script>`));
      // The light formatting still works: the bold markers are gone, the words remain.
      expect(text).toContain('Très bon mois');
      expect(text).not.toContain('**Très bon mois**');

      const audit = await owner.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY created_at, action`, [report.id]);
      expect(audit.rows.map((row) => row.action)).toEqual([
        'report.requested',
        'report.rendering',
        'report.ready',
        'report.commentary_updated',
        'report.rendering',
        'report.ready',
      ]);
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it(
    'previews the report (HTML and first-page PNG) without saving it and without any request',
    async () => {
      const before = (await owner.query(`SELECT count(*)::int AS n FROM reports WHERE client_id = $1`, [shop.clientId])).rows[0].n;
      const preview = await api.gqlOk<{ reportPreview: { html: string; pngBase64: string } }>(
        PREVIEW,
        { clientId: shop.clientId, month: '2026-10' },
        shop.agency.token,
      );
      const png = Buffer.from(preview.reportPreview.pngBase64, 'base64');
      expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
      expect(png.length).toBeGreaterThan(10_000);
      expect(preview.reportPreview.html).toContain(`Maison &lt;img src&#x3D;&quot;http://127.0.0.1:${port}/client-name&quot;&gt;`);
      expect(preview.reportPreview.html).not.toContain(`<img src="http://127.0.0.1:${port}`);
      expect(preview.reportPreview.html).not.toContain('<script>fetch');
      expect(hits).toEqual([]);
      expect((await owner.query(`SELECT count(*)::int AS n FROM reports WHERE client_id = $1`, [shop.clientId])).rows[0].n).toBe(before);
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it('refuses to edit an approved report', async () => {
    const { rows } = await owner.query(`SELECT id FROM reports WHERE client_id = $1 AND status = 'READY' LIMIT 1`, [shop.clientId]);
    const id: string = rows[0].id;
    await api.gqlOk(`mutation ($id: ID!) { approveReport(id: $id) { id } }`, { id }, shop.agency.token);
    const response = await api.gql(EDIT, { input: { reportId: id, commentary: 'Trop tard' } }, shop.agency.token);
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'APPROVED' });
  });
});
