import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoReportSnapshot } from '../snapshot/demo-snapshot';
import type { ReportSnapshot } from '../snapshot/report-snapshot';
import { resolveChromiumExecutable } from './chromium-executable';
import { PdfRenderer } from './pdf-renderer';
import { RenderQueueFullError, RenderTimeoutError } from './renderer.errors';
import { renderReportDocument, renderReportPdf } from './report.renderer';
import { BROWSER_TIMEOUT_MS, RENDER_TEST_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../../../../test/support/timeouts';

/**
 * Real Chromium, real PDFs, read back with poppler-utils: nothing is mocked here. Every test
 * renders (several launch a browser of their own), far beyond the unit project's 5-second default.
 */
jest.setTimeout(RENDER_TEST_TIMEOUT_MS);

const workDir = mkdtempSync(join(tmpdir(), 'pdf-renderer-'));
let fileCount = 0;
function savePdf(pdf: Buffer): string {
  fileCount += 1;
  const path = join(workDir, `report-${fileCount}.pdf`);
  writeFileSync(path, pdf);
  return path;
}
function poppler(tool: 'pdftotext' | 'pdfinfo' | 'pdffonts', path: string): string {
  return execFileSync(tool, tool === 'pdftotext' ? [path, '-'] : [path], { encoding: 'utf8' });
}
function pageCount(path: string): number {
  return Number(/^Pages:\s+(\d+)/m.exec(poppler('pdfinfo', path))?.[1]);
}
function titleOf(path: string): string | undefined {
  return /^Title:\s+(.*)$/m.exec(poppler('pdfinfo', path))?.[1];
}
const SMALL_HEADER = { headerTemplate: '<span></span>', footerTemplate: '<span></span>' };

describe(PdfRenderer.name, () => {
  let renderer: PdfRenderer;
  let server: Server;
  let serverHits = 0;
  let origin = '';

  beforeAll(async () => {
    server = createServer((_request, response) => {
      serverHits += 1;
      response.end('root:x:0:0:leaked');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    renderer = new PdfRenderer({ executablePath: resolveChromiumExecutable(process.env.CHROMIUM_PATH), poolSize: 2, maxQueueLength: 4 });
    await renderer.start();
  }, BROWSER_TIMEOUT_MS);

  afterAll(async () => {
    await renderer.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }, TEARDOWN_TIMEOUT_MS);

  it('renders the demo monthly report: 5 to 8 pages, embedded fonts, French numbers, metadata', async () => {
    const base = demoReportSnapshot();
    // An amount with thousands and cents, to check the French format end to end.
    const snapshot: ReportSnapshot = { ...base, kpis: base.kpis.map((kpi) => (kpi.key === 'average_order_value' ? { ...kpi, value: 1234.56 } : kpi)) };
    const path = savePdf(await renderReportPdf(renderer, snapshot));

    expect(pageCount(path)).toBeGreaterThanOrEqual(5);
    expect(pageCount(path)).toBeLessThanOrEqual(8);
    expect(titleOf(path)).toBe('Rapport mensuel de performance — Maison Lumière — Octobre 2026');
    const info = poppler('pdfinfo', path);
    expect(info).toMatch(/^Tagged:\s+yes/m);

    const fonts = poppler('pdffonts', path)
      .split('\n')
      .slice(2)
      .filter((line) => line.trim() !== '');
    expect(fonts.some((line) => line.includes('Inter'))).toBe(true);
    // Column "emb" is the 4th from the end: every font is embedded.
    for (const line of fonts) expect(line.split(/\s+/).slice(-5, -4)).toEqual(['yes']);

    const text = poppler('pdftotext', path);
    expect(text).toContain('Maison Lumière');
    expect(text).toContain('Octobre 2026');
    // The HTML has U+202F between thousands and U+00A0 before € (see the format tests);
    // pdftotext writes both out as plain spaces.
    expect(text).toContain('1 234,56 €');
    expect(text).toMatch(/\d+,\d %/);
    expect(text).not.toMatch(/\d\.\d+ ?%/);
    expect(text).toContain('Calculé sur les 27 jours sur 31');
    expect(text).toContain('Pas de données');
    expect(text).toMatch(/Page 2 \/ \d+/);
  });

  it('prints hostile commentary as text and loads nothing a hostile logo points to', async () => {
    const base = demoReportSnapshot();
    const hostile = `<img src="file:///etc/passwd"> <script>document.write('pwned')</script>`;
    const snapshot: ReportSnapshot = {
      ...base,
      commentary: hostile,
      agency: { ...base.agency, branding: { ...base.agency.branding, logoDataUri: 'file:///etc/passwd' } },
      client: { ...base.client, logoDataUri: `${origin}/logo.png` },
    };
    const text = poppler('pdftotext', savePdf(await renderReportPdf(renderer, snapshot)));
    expect(text).toContain('<img src="file:///etc/passwd">');
    expect(text).toContain("<script>document.write('pwned')</script>");
    expect(text).not.toContain('root:x:0:0');
    expect(serverHits).toBe(0);
  });

  it('blocks every request that is not a data: URL, whatever the HTML contains', async () => {
    const blockedBefore = renderer.stats().blockedRequests;
    const html = `<!DOCTYPE html><html><head><link rel="stylesheet" href="${origin}/style.css">
      <style>body { background: url(${origin}/bg.png); }</style></head><body>
      <p>Still rendered</p>
      <img src="file:///etc/passwd"><img src="${origin}/pixel.png"><img src="http://169.254.169.254/latest/meta-data/">
      <iframe src="file:///etc/passwd"></iframe><object data="${origin}/object"></object>
      <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
      </body></html>`;
    const text = poppler('pdftotext', savePdf(await renderer.render(html, SMALL_HEADER)));
    expect(text).toContain('Still rendered');
    expect(text).not.toContain('root:x:0:0');
    expect(renderer.stats().blockedRequests - blockedBefore).toBeGreaterThanOrEqual(4);
    expect(serverHits).toBe(0);
  });

  it('completes every render of a batch exactly once when the browser is killed mid-batch', async () => {
    const before = renderer.stats();
    const { html, headerTemplate, footerTemplate } = renderReportDocument(demoReportSnapshot());
    const renders = Array.from({ length: 6 }, (_, index) => renderer.render(html, { headerTemplate, footerTemplate, title: `Batch report ${index}` }));
    await renders[0];
    renderer.browser()?.process()?.kill('SIGKILL');
    const pdfs = await Promise.all(renders);

    expect(pdfs.map((pdf) => titleOf(savePdf(pdf)))).toEqual(Array.from({ length: 6 }, (_, index) => `Batch report ${index}`));
    const after = renderer.stats();
    expect(after.rendersCompleted - before.rendersCompleted).toBe(6);
    expect(after.rendersFailed - before.rendersFailed).toBe(0);
    expect(after.browserLaunches - before.browserLaunches).toBe(1);
    expect(after.retries - before.retries).toBeGreaterThanOrEqual(1);
  });

  it('rejects renders beyond the queue bound with a typed error', async () => {
    const html = '<!DOCTYPE html><title>q</title><p>queued</p>';
    const results = await Promise.allSettled(Array.from({ length: 7 }, () => renderer.render(html, SMALL_HEADER)));
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(6);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toBeInstanceOf(RenderQueueFullError);
  });

  it('takes a PNG preview of the first page', async () => {
    const png = await renderer.screenshotFirstPage(renderReportDocument(demoReportSnapshot()).html);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    writeFileSync(join(workDir, 'cover.png'), png);
  });

  it('prints on a page that draws no frames and switches to an ordinary page for a preview in between', async () => {
    const executablePath = resolveChromiumExecutable(process.env.CHROMIUM_PATH);
    const single = new PdfRenderer({ executablePath, poolSize: 1 });
    try {
      const first = await single.render('<!DOCTYPE html><title>a</title><p>Before the preview</p>', SMALL_HEADER);
      const png = await single.screenshotFirstPage('<!DOCTYPE html><p>Preview</p>');
      const second = await single.render('<!DOCTYPE html><title>b</title><p>After the preview</p>', SMALL_HEADER);
      expect(poppler('pdftotext', savePdf(first)).trim()).toBe('Before the preview');
      expect(png.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      expect(poppler('pdftotext', savePdf(second)).trim()).toBe('After the preview');
      // The headless shell prints without frames; the preview needed a page of its own, and so did the next PDF.
      expect(single.stats()).toMatchObject({
        framelessPrinting: /headless[-_]shell/.test(executablePath),
        framelessFallbacks: 0,
        rendersCompleted: 3,
        pagesCreated: 3,
      });
    } finally {
      await single.close();
    }
  });

  it('recycles a page after the configured number of renders', async () => {
    const recycling = new PdfRenderer({ executablePath: resolveChromiumExecutable(process.env.CHROMIUM_PATH), poolSize: 1, recycleAfterRenders: 2 });
    try {
      for (let index = 0; index < 3; index += 1) await recycling.render(`<!DOCTYPE html><title>r${index}</title><p>${index}</p>`, SMALL_HEADER);
      expect(recycling.stats()).toMatchObject({ rendersCompleted: 3, pagesRecycled: 1, pagesCreated: 2 });
    } finally {
      await recycling.close();
    }
  });

  it('leaves no report in its page once the queue is empty', async () => {
    const reusing = new PdfRenderer({ executablePath: resolveChromiumExecutable(process.env.CHROMIUM_PATH), poolSize: 1 });
    try {
      const pdfs = await Promise.all(
        Array.from({ length: 3 }, (_, index) => reusing.render(`<!DOCTYPE html><title>c${index}</title><p>Client secret ${index}</p>`, SMALL_HEADER)),
      );
      expect(pdfs.map((pdf) => poppler('pdftotext', savePdf(pdf)).trim())).toEqual(['Client secret 0', 'Client secret 1', 'Client secret 2']);
      expect(reusing.stats()).toMatchObject({ inFlight: 0, rendersCompleted: 3, pagesCreated: 1 });
      const contents = await Promise.all(((await reusing.browser()?.pages()) ?? []).map((page) => page.content()));
      expect(contents.length).toBeGreaterThan(0);
      for (const content of contents) expect(content).not.toContain('Client secret');
    } finally {
      await reusing.close();
    }
  });

  it('fails a render that exceeds its timeout with a typed error', async () => {
    const hurried = new PdfRenderer({ executablePath: resolveChromiumExecutable(process.env.CHROMIUM_PATH), poolSize: 1, renderTimeoutMs: 1 });
    try {
      await expect(hurried.render(renderReportDocument(demoReportSnapshot()).html, SMALL_HEADER)).rejects.toBeInstanceOf(RenderTimeoutError);
      expect(hurried.stats()).toMatchObject({ timeouts: 1, rendersFailed: 1, retries: 0 });
    } finally {
      await hurried.close();
    }
  });
});
