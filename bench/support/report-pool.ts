import { readFileSync, readdirSync } from 'node:fs';
import { PdfRenderer, renderReportDocument, type ReportSnapshot } from '@pilotage/reporting';

/** Pages of a Chromium PDF: Skia writes one `/Type /Page` dictionary per page, uncompressed. */
export function pdfPageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g)?.length ?? 0;
}

/**
 * The process's RSS once garbage is collected (the npm scripts pass --expose-gc): what the
 * process holds, not how far the collector happened to let the heap run at that instant.
 */
export function rssMb(): number {
  globalThis.gc?.();
  return process.memoryUsage().rss / 1_048_576;
}

export interface ProcessTreeUsage {
  readonly rssMb: number;
  /** User + system CPU time, in ms, of the tree's processes and of the children they reaped. */
  readonly cpuMs: number;
}

/** RSS and CPU time of a process and its descendants (a browser and its renderers), from /proc. */
export function treeUsage(root: number | null): ProcessTreeUsage {
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

/** This process's user + system CPU time, in ms. */
export function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export interface ReportRunResult {
  /** Fewest pages and charts of a report of the run (every report is checked to have them). */
  readonly minPages: number;
  readonly minCharts: number;
  readonly totalPages: number;
}

/**
 * Renders `count` reports end to end (snapshot → view model → HTML → PDF), `snapshotAt(i)` giving
 * the i-th one. Two renders in flight per page: the next report's HTML is built while Chromium
 * prints the previous one.
 */
export async function runReports(
  renderer: PdfRenderer,
  count: number,
  snapshotAt: (index: number) => ReportSnapshot,
  onDone: (done: number) => void = () => undefined,
): Promise<ReportRunResult> {
  let minPages = Number.POSITIVE_INFINITY;
  let minCharts = Number.POSITIVE_INFINITY;
  let totalPages = 0;
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const document = renderReportDocument(snapshotAt(next++));
      const pdf = await renderer.render(document.html, {
        headerTemplate: document.headerTemplate,
        footerTemplate: document.footerTemplate,
        title: document.title,
      });
      const pages = pdfPageCount(pdf);
      minPages = Math.min(minPages, pages);
      totalPages += pages;
      minCharts = Math.min(minCharts, document.chartCount);
      done += 1;
      onDone(done);
    }
  };
  await Promise.all(Array.from({ length: renderer.stats().poolSize * 2 }, () => worker()));
  return { minPages, minCharts, totalPages };
}

export interface PoolMeasure extends ReportRunResult {
  readonly reports: number;
  readonly seconds: number;
  readonly reportsPerSecond: number;
  readonly pagesPerReport: number;
  /** Node + Chromium CPU per report (this process plus the browser's process tree). */
  readonly cpuMsPerReport: number;
  readonly rssStartMb: number;
  readonly rssEndMb: number;
  readonly browserRssStartMb: number;
  readonly browserRssEndMb: number;
  readonly stats: ReturnType<PdfRenderer['stats']>;
}

export interface PoolMeasureOptions {
  readonly executablePath: string;
  readonly poolSize?: number;
  readonly reports: number;
  readonly warmupReports: number;
  /** The i-th report measured; warm-up reports are asked with indexes from `reports` on. */
  readonly snapshotAt: (index: number) => ReportSnapshot;
  readonly log?: (message: string) => void;
}

/**
 * Throughput of the Chromium page pool alone: reports end to end through PdfRenderer (one
 * browser, one page per core unless told, interception on), after a warm-up that is not counted.
 */
export async function measurePool(options: PoolMeasureOptions): Promise<PoolMeasure> {
  const renderer = new PdfRenderer({ executablePath: options.executablePath, poolSize: options.poolSize });
  try {
    await renderer.start();
    // Warm-up, not counted, with the same concurrency as the measure: JIT, Chromium caches,
    // the pool's pages, and V8 growing its heap to the working size of 4 concurrent reports.
    // Measured with --expose-gc, the heap after GC stays flat (58 MB over 240 reports): RSS
    // growth before this point is heap sizing, not a leak, so "start" is taken after it.
    await runReports(renderer, options.warmupReports, (index) => options.snapshotAt(options.reports + index));
    const rssStartMb = rssMb();
    const browserStart = treeUsage(renderer.browserProcessId());
    const cpuStartMs = processCpuMs();
    const started = performance.now();
    const run = await runReports(renderer, options.reports, options.snapshotAt, (done) => {
      if (done % 50 === 0) options.log?.(`pool: ${done}/${options.reports} (${((done * 1000) / (performance.now() - started)).toFixed(1)} reports/s)`);
    });
    const seconds = (performance.now() - started) / 1000;
    const rssEndMb = rssMb();
    const browserEnd = treeUsage(renderer.browserProcessId());
    return {
      ...run,
      reports: options.reports,
      seconds,
      reportsPerSecond: options.reports / seconds,
      pagesPerReport: run.totalPages / options.reports,
      cpuMsPerReport: (processCpuMs() - cpuStartMs + browserEnd.cpuMs - browserStart.cpuMs) / options.reports,
      rssStartMb,
      rssEndMb,
      browserRssStartMb: browserStart.rssMb,
      browserRssEndMb: browserEnd.rssMb,
      stats: renderer.stats(),
    };
  } finally {
    await renderer.close();
  }
}
