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
import { launch } from 'puppeteer-core';
import {
  CHROMIUM_ARGS,
  demoReportSnapshot,
  headlessModeFor,
  REPORT_PAGE_MARGINS,
  renderReportDocument,
  resolveChromiumExecutable,
  type RenderedReportDocument,
  type ReportSnapshot,
} from '@pilotage/reporting';
import { measurePool } from './support/report-pool';

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
  const pool = await measurePool({ executablePath, poolSize: POOL_SIZE, reports: REPORTS, warmupReports: WARMUP_REPORTS, snapshotAt: snapshotFor, log });
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
      // Fewest pages and charts of a report of the run, and the mean page count.
      pages: pool.minPages,
      charts: pool.minCharts,
      pagesPerReport: round(pool.pagesPerReport, 1),
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
