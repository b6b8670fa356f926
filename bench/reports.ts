/**
 * Report rendering benchmark: snapshot → narrative → charts → Handlebars → PDF.
 *
 * Run (Node 24 from node_modules/.bin; the system Node 20 is too old for puppeteer-core 25):
 *   PATH=$PWD/node_modules/.bin:$PATH node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/reports.ts
 * Env: BENCH_REPORTS (default 500), BENCH_FLOOR_REPORTS (default 60), BENCH_BASELINE_REPORTS
 * (default 10), BENCH_WARMUP_REPORTS (default 50), BENCH_POOL_SIZE (default: the renderer's, one
 * page per core), CHROMIUM_PATH. Progress goes to stderr, one JSON line to stdout.
 *
 * The machine is often shared: besides wall-clock throughput the JSON line gives the CPU time
 * one report costs (this process plus the browser's process tree), which moves far less with
 * the load of other processes and is the figure to compare two versions with.
 *
 * Three measurements of the same kind of report (>= 8 pages, >= 12 charts, every report a
 * different client and different numbers):
 * - pool: end to end through PdfRenderer (one browser, one page per core, interception on);
 * - floor: the same HTML through bare setContent + page.pdf on as many warm pages as the pool
 *   has, HTML prepared beforehand: what Chromium alone costs on the same cores;
 * - baseline: a browser launched per report, on a small sample, extrapolated.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { launch } from 'puppeteer-core';
import {
  CHROMIUM_ARGS,
  demoReportSnapshot,
  headlessModeFor,
  PdfRenderer,
  REPORT_PAGE_MARGINS,
  renderReportDocument,
  resolveChromiumExecutable,
  type RenderedReportDocument,
  type ReportSnapshot,
} from '@pilotage/reporting';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 500);
const FLOOR_REPORTS = Math.min(REPORTS, Number(process.env.BENCH_FLOOR_REPORTS ?? 60));
const BASELINE_REPORTS = Number(process.env.BENCH_BASELINE_REPORTS ?? 10);
const WARMUP_REPORTS = Number(process.env.BENCH_WARMUP_REPORTS ?? 50);
const POOL_SIZE = process.env.BENCH_POOL_SIZE === undefined ? undefined : Number(process.env.BENCH_POOL_SIZE);
const CLIENT_NAMES = ['Maison Lumière', 'Atelier Céramique', 'Les Jardins de Provence', 'Brasserie du Port', 'Studio Vélo', 'Librairie Saint-Michel'];

function snapshotFor(index: number): ReportSnapshot {
  const name = `${CLIENT_NAMES[index % CLIENT_NAMES.length] ?? 'Client'} ${index + 1}`;
  return demoReportSnapshot({ seed: index + 1, client: { name } });
}

/** Pages of a Chromium PDF: Skia writes one `/Type /Page` dictionary per page, uncompressed. */
function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g)?.length ?? 0;
}

/**
 * The worker's RSS once garbage is collected (npm run bench:reports passes --expose-gc): what
 * the process holds, not how far the collector happened to let the heap run at that instant.
 */
function rssMb(): number {
  globalThis.gc?.();
  return process.memoryUsage().rss / 1_048_576;
}

interface ProcessTreeUsage {
  readonly rssMb: number;
  /** User + system CPU time, in ms, of the tree's processes and of the children they reaped. */
  readonly cpuMs: number;
}

/** RSS and CPU time of a process and its descendants (the browser and its renderers), from /proc. */
function treeUsage(root: number | null): ProcessTreeUsage {
  if (root === null) return { rssMb: 0, cpuMs: 0 };
  const ticksPerSecond = 100;
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      // utime + stime, plus cutime + cstime: the CPU of children already reaped (renderers of
      // recycled pages, reaped by the zygote), so that recycling does not hide their work.
      const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      cpu.set(Number(entry), (ticks * 1000) / ticksPerSecond);
      rss.set(Number(entry), (Number(fields[21]) * 4096) / 1_048_576);
    } catch {
      // The process ended while we were reading.
    }
  }
  let rssMb = 0;
  let cpuMs = 0;
  for (const [pid, size] of rss) {
    for (let current: number | undefined = pid; current !== undefined && current > 1; current = parents.get(current)) {
      if (current === root) {
        rssMb += size;
        cpuMs += cpu.get(pid) ?? 0;
        break;
      }
    }
  }
  return { rssMb, cpuMs };
}

function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

const PDF_OPTIONS = (document: RenderedReportDocument) =>
  ({
    format: 'A4',
    printBackground: true,
    displayHeaderFooter: document.headerTemplate !== '' || document.footerTemplate !== '',
    headerTemplate: document.headerTemplate,
    footerTemplate: document.footerTemplate,
    margin: REPORT_PAGE_MARGINS,
    outline: true,
    tagged: true,
  }) as const;

/**
 * Renders reports `first` .. `first + count - 1` end to end. Two renders in flight per page:
 * the next report's HTML is built while Chromium prints the previous one.
 */
async function runReports(renderer: PdfRenderer, first: number, count: number, onDone: (done: number) => void): Promise<{ pages: number; charts: number }> {
  let pages = Number.POSITIVE_INFINITY;
  let charts = Number.POSITIVE_INFINITY;
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = first + next++;
      const document = renderReportDocument(snapshotFor(index));
      const pdf = await renderer.render(document.html, {
        headerTemplate: document.headerTemplate,
        footerTemplate: document.footerTemplate,
        title: document.title,
      });
      pages = Math.min(pages, pageCount(pdf));
      charts = Math.min(charts, document.chartCount);
      done += 1;
      onDone(done);
    }
  };
  await Promise.all(Array.from({ length: renderer.stats().poolSize * 2 }, () => worker()));
  return { pages, charts };
}

async function measurePool(executablePath: string): Promise<{
  seconds: number;
  pages: number;
  charts: number;
  rssStartMb: number;
  rssEndMb: number;
  browserRssStartMb: number;
  browserRssEndMb: number;
  cpuMsPerReport: number;
  stats: ReturnType<PdfRenderer['stats']>;
}> {
  const renderer = new PdfRenderer({ executablePath, poolSize: POOL_SIZE });
  await renderer.start();
  // Warm-up, not counted, with the same concurrency as the measure: JIT, Chromium caches,
  // the pool's pages, and V8 growing its heap to the working size of 4 concurrent reports.
  // Measured with --expose-gc, the heap after GC stays flat (58 MB over 240 reports): RSS
  // growth before this point is heap sizing, not a leak, so "start" is taken after it.
  await runReports(renderer, REPORTS, WARMUP_REPORTS, () => undefined);
  const rssStartMb = rssMb();
  const browserStart = treeUsage(renderer.browserProcessId());
  const cpuStartMs = processCpuMs();
  const started = performance.now();
  const { pages, charts } = await runReports(renderer, 0, REPORTS, (done) => {
    if (done % 50 === 0) log(`pool: ${done}/${REPORTS} (${((done * 1000) / (performance.now() - started)).toFixed(1)} reports/s)`);
  });
  const seconds = (performance.now() - started) / 1000;
  const rssEndMb = rssMb();
  const browserEnd = treeUsage(renderer.browserProcessId());
  const cpuMsPerReport = (processCpuMs() - cpuStartMs + browserEnd.cpuMs - browserStart.cpuMs) / REPORTS;
  const stats = renderer.stats();
  await renderer.close();
  return {
    seconds,
    pages,
    charts,
    rssStartMb,
    rssEndMb,
    browserRssStartMb: browserStart.rssMb,
    browserRssEndMb: browserEnd.rssMb,
    cpuMsPerReport,
    stats,
  };
}

/**
 * The floor: the same HTML, prepared beforehand, through bare setContent + page.pdf on warm
 * pages — what Chromium alone costs. As many pages print side by side as the pool has, so the
 * floor and the pool use the same cores and the ratio measures the pool's own overhead.
 */
async function measureFloor(executablePath: string, lanes: number): Promise<number> {
  const documents = Array.from({ length: FLOOR_REPORTS }, (_, index) => renderReportDocument(snapshotFor(index)));
  const browser = await launch({ executablePath, headless: headlessModeFor(executablePath), args: [...CHROMIUM_ARGS] });
  try {
    const pages = await Promise.all(
      Array.from({ length: lanes }, async () => {
        const page = await browser.newPage();
        await page.setJavaScriptEnabled(false);
        return page;
      }),
    );
    const print = async (page: (typeof pages)[number], document: (typeof documents)[number]): Promise<void> => {
      await page.setContent(document.html, { waitUntil: 'load' });
      await page.pdf(PDF_OPTIONS(document));
    };
    await Promise.all(pages.map((page, lane) => print(page, documents[lane % documents.length])));
    let next = 0;
    const started = performance.now();
    await Promise.all(
      pages.map(async (page) => {
        for (let index = next++; index < documents.length; index = next++) await print(page, documents[index]);
      }),
    );
    return (performance.now() - started) / 1000 / documents.length;
  } finally {
    await browser.close();
  }
}

async function measureBaseline(executablePath: string): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < BASELINE_REPORTS; index += 1) {
    const document = renderReportDocument(snapshotFor(index));
    const browser = await launch({ executablePath, headless: headlessModeFor(executablePath), args: [...CHROMIUM_ARGS] });
    try {
      const page = await browser.newPage();
      await page.setJavaScriptEnabled(false);
      await page.setContent(document.html, { waitUntil: 'load' });
      await page.pdf(PDF_OPTIONS(document));
    } finally {
      await browser.close();
    }
  }
  return (performance.now() - started) / 1000 / BASELINE_REPORTS;
}

async function main(): Promise<void> {
  const executablePath = resolveChromiumExecutable(process.env.CHROMIUM_PATH);
  log(`chromium: ${executablePath}; ${REPORTS} reports, floor on ${FLOOR_REPORTS}, baseline on ${BASELINE_REPORTS}`);
  const pool = await measurePool(executablePath);
  log(`pool: ${REPORTS} reports in ${pool.seconds.toFixed(1)} s`);
  const floorSecondsPerReport = await measureFloor(executablePath, pool.stats.poolSize);
  log(`floor: ${(floorSecondsPerReport * 1000).toFixed(0)} ms/report`);
  const baselineSecondsPerReport = await measureBaseline(executablePath);
  log(`baseline: ${(baselineSecondsPerReport * 1000).toFixed(0)} ms/report`);

  const reportsPerSecond = REPORTS / pool.seconds;
  const floorReportsPerSecond = 1 / floorSecondsPerReport;
  const baselineReportsPerSecond = 1 / baselineSecondsPerReport;
  const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
  process.stdout.write(
    `${JSON.stringify({
      reports: REPORTS,
      seconds: round(pool.seconds),
      reportsPerSecond: round(reportsPerSecond),
      floorReportsPerSecond: round(floorReportsPerSecond),
      // Pool time per report over floor time per report: <= 1.3 is the goal.
      floorRatio: round(floorReportsPerSecond / reportsPerSecond),
      baselineReportsPerSecond: round(baselineReportsPerSecond),
      baselineSpeedup: round(reportsPerSecond / baselineReportsPerSecond),
      // Node + browser CPU per report: 2 cores give at most 2000 / cpuMsPerReport reports/s.
      cpuMsPerReport: round(pool.cpuMsPerReport, 0),
      rssStartMb: round(pool.rssStartMb, 1),
      rssEndMb: round(pool.rssEndMb, 1),
      rssGrowth: round((pool.rssEndMb - pool.rssStartMb) / pool.rssStartMb, 3),
      browserRssStartMb: round(pool.browserRssStartMb, 1),
      browserRssEndMb: round(pool.browserRssEndMb, 1),
      pages: pool.pages,
      charts: pool.charts,
      poolSize: pool.stats.poolSize,
      blockedRequests: pool.stats.blockedRequests,
      pagesRecycled: pool.stats.pagesRecycled,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
