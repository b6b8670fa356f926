import { availableParallelism } from 'node:os';
import { launch, type Browser, type CDPSession, type HTTPRequest, type Page } from 'puppeteer-core';
import { headlessModeFor, resolveChromiumExecutable } from './chromium-executable';
import { RendererClosedError, RenderQueueFullError, RenderTimeoutError } from './renderer.errors';

/**
 * Flags for a machine without internet: without the background-networking ones Chromium
 * keeps trying to reach Google services and floods the logs with refused connections.
 */
const CHROMIUM_COMMON_ARGS = [
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-extensions',
  '--disable-default-apps',
  '--mute-audio',
  '--font-render-hinting=none',
] as const;

/** Chromium refuses to start its sandbox as root (the tests and CI run as root; the image as `node`). */
export function runsAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The flags of a launch, with Chromium's sandbox or (as root, or where it cannot work) without. */
export function chromiumArgs(sandbox: boolean): string[] {
  return sandbox ? [...CHROMIUM_COMMON_ARGS] : ['--no-sandbox', ...CHROMIUM_COMMON_ARGS];
}

/** The flags for this process: sandboxed unless it runs as root. */
export const CHROMIUM_ARGS: readonly string[] = chromiumArgs(!runsAsRoot());

/** Margins leave room for Chromium's header and footer templates, drawn inside them. */
export const REPORT_PAGE_MARGINS = { top: '20mm', bottom: '18mm', left: '16mm', right: '16mm' } as const;

/** A4 at 96 dpi, for first-page previews. */
const A4_VIEWPORT = { width: 794, height: 1123 } as const;

export interface PdfRendererOptions {
  /** Chromium executable; resolved with `resolveChromiumExecutable()` when absent. */
  readonly executablePath?: string;
  /** Pages rendering in parallel; one more than the cores by default (Chromium is CPU-bound, and a page also waits on Node). */
  readonly poolSize?: number;
  /** A page is closed and replaced after this many renders, bounding renderer memory. */
  readonly recycleAfterRenders?: number;
  /** Per render, from taking a page to the PDF bytes. */
  readonly renderTimeoutMs?: number;
  /** Renders allowed to wait for a page; beyond, `render()` rejects with RenderQueueFullError. */
  readonly maxQueueLength?: number;
  readonly launchTimeoutMs?: number;
  /**
   * Chromium's sandbox (user namespaces); on by default unless this process runs as root. If a
   * sandboxed launch fails for want of namespaces (a container's seccomp profile may deny them),
   * the renderer warns once and launches without it (README, Production).
   */
  readonly sandbox?: boolean;
}

export interface PdfRenderOptions {
  readonly headerTemplate: string;
  readonly footerTemplate: string;
  /** Document title (PDF metadata); replaces the HTML's <title> when given. */
  readonly title?: string;
}

export interface PdfRendererStats {
  readonly poolSize: number;
  readonly browserLaunches: number;
  readonly rendersCompleted: number;
  readonly rendersFailed: number;
  /** Renders run a second time because the browser or their page died under them. */
  readonly retries: number;
  readonly timeouts: number;
  /** Requests aborted by interception: anything but `data:` URLs and the blank document. */
  readonly blockedRequests: number;
  readonly pagesCreated: number;
  readonly pagesRecycled: number;
  readonly queueLength: number;
  readonly inFlight: number;
  /** Whether the browser runs (or will run) with Chromium's sandbox. */
  readonly sandboxed: boolean;
  /** Whether PDFs print on pages that draw no frames (a headless shell; see `createPage`). */
  readonly framelessPrinting: boolean;
  /** Print pages created as ordinary pages because Chromium refused a frameless one. */
  readonly framelessFallbacks: number;
}

type PageWork<T> = (page: Page) => Promise<T>;

/** What a job needs of its page: `print` (PDFs) draws no frames where it can, `screen` (PNG previews) does. */
type PageKind = 'print' | 'screen';

interface RenderJob {
  readonly work: PageWork<Uint8Array>;
  readonly kind: PageKind;
  readonly resolve: (value: Uint8Array) => void;
  readonly reject: (reason: unknown) => void;
}

/** One pool slot: runs jobs one after another on its own page. */
interface Lane {
  page: Page | null;
  /** What the page was created for: a job of the other kind replaces it. */
  kind: PageKind;
  /** Browser generation the page belongs to: a page of a dead browser is never reused. */
  generation: number;
  renders: number;
  running: boolean;
  /** The page still holds the last job's document (see `release`). */
  dirty: boolean;
}

interface LiveBrowser {
  readonly browser: Browser;
  readonly generation: number;
  /**
   * A DevTools session on the browser target, opened at launch, that creates the frameless
   * print pages; null when the browser prints on ordinary pages. Opened once: asking Puppeteer
   * for the browser target later failed after a few hundred renders ("Browser target is not
   * found", bench:batch, 2026-12-02).
   */
  readonly control: CDPSession | null;
}

const BLANK_DOCUMENT = '<!DOCTYPE html><html><head><title></title></head><body></body></html>';

function escapeHtmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Puts `title` in the document's <title>, the source of the PDF's Title metadata. */
function withTitle(html: string, title: string | undefined): string {
  if (title === undefined) return html;
  const element = `<title>${escapeHtmlText(title)}</title>`;
  if (/<title>[\s\S]*?<\/title>/i.test(html)) return html.replace(/<title>[\s\S]*?<\/title>/i, element);
  if (/<head[^>]*>/i.test(html)) return html.replace(/<head[^>]*>/i, (head) => `${head}${element}`);
  return `${element}${html}`;
}

/**
 * Turns HTML into PDF with one long-lived Chromium and a pool of pages.
 *
 * Safety: JavaScript is off on every page and request interception aborts everything but
 * `data:` URLs, so a report can neither read local files (`file:///etc/passwd`) nor reach
 * the network (`http://169.254.169.254/`), whatever ends up in its HTML.
 *
 * Resilience: if Chromium dies, the next render relaunches it; a render that was in flight
 * on the dead browser runs once more on the new one. Pages are recycled after N renders.
 */
export class PdfRenderer {
  private readonly executablePath: string;
  private readonly poolSize: number;
  private readonly recycleAfterRenders: number;
  private readonly renderTimeoutMs: number;
  private readonly maxQueueLength: number;
  private readonly launchTimeoutMs: number;
  private readonly framelessPrinting: boolean;
  private sandbox: boolean;

  private readonly lanes: Lane[];
  private readonly queue: RenderJob[] = [];
  private current: LiveBrowser | null = null;
  private launching: Promise<LiveBrowser> | null = null;
  private generation = 0;
  private pageSerial = 0;
  /** One DevTools session per print page, to ask it for a layout (see `setContent`); gone with the page. */
  private readonly layoutSessions = new WeakMap<Page, CDPSession>();
  private closed = false;

  private counters = {
    browserLaunches: 0,
    rendersCompleted: 0,
    rendersFailed: 0,
    retries: 0,
    timeouts: 0,
    blockedRequests: 0,
    pagesCreated: 0,
    pagesRecycled: 0,
    framelessFallbacks: 0,
  };

  constructor(options: PdfRendererOptions = {}) {
    this.executablePath = options.executablePath ?? resolveChromiumExecutable();
    // One page more than the cores by default: see REPORT_RENDER_POOL_SIZE (report-production) for the figures.
    this.poolSize = Math.max(1, options.poolSize ?? availableParallelism() + 1);
    this.recycleAfterRenders = Math.max(1, options.recycleAfterRenders ?? 100);
    this.renderTimeoutMs = options.renderTimeoutMs ?? 30_000;
    this.maxQueueLength = options.maxQueueLength ?? 500;
    this.sandbox = options.sandbox ?? !runsAsRoot();
    this.launchTimeoutMs = options.launchTimeoutMs ?? 30_000;
    // Only a headless shell lets DevTools take over a page's frames (Target.createTarget's
    // enableBeginFrameControl); a full Chromium prints on ordinary pages.
    this.framelessPrinting = headlessModeFor(this.executablePath) === 'shell';
    this.lanes = Array.from({ length: this.poolSize }, () => ({ page: null, kind: 'print' as const, generation: 0, renders: 0, running: false, dirty: false }));
  }

  /** Launches the browser now rather than on the first render (workers warm up at boot). */
  async start(): Promise<void> {
    await this.liveBrowser();
  }

  /** The running browser's process, for diagnostics and crash tests. */
  browserProcessId(): number | null {
    return this.current?.browser.process()?.pid ?? null;
  }

  /** The running browser; null before the first render or after a crash. */
  browser(): Browser | null {
    return this.current?.browser ?? null;
  }

  render(html: string, options: PdfRenderOptions): Promise<Buffer> {
    const document = withTitle(html, options.title);
    return this.enqueue('print', async (page) => {
      // Puppeteer's own timeouts are off (0): the render timeout below is the one clock.
      await this.setContent(page, document);
      return page.pdf({
        format: 'A4',
        printBackground: true,
        // Empty templates: no Chromium header and footer at all (the report's own are CSS page-margin
        // boxes); `true` with empty templates would print Chromium's default date and title.
        displayHeaderFooter: options.headerTemplate !== '' || options.footerTemplate !== '',
        headerTemplate: options.headerTemplate,
        footerTemplate: options.footerTemplate,
        margin: REPORT_PAGE_MARGINS,
        // Tagged: the charts' text alternatives (/Alt of their Figure elements) and the reading order
        // live in the structure tree; its cost was ~30-40 ms of CPU on a ~250 ms 8-page report
        // (2026-12-02, A/B on the demo report). The outline is built from the tagged headings and
        // costs nothing measurable on top. Chromium tags with some PDF 2.0 types in a file it
        // declares 1.4: finishReportPdf (report-production) role-maps them to 1.4 ones.
        outline: true,
        tagged: true,
        timeout: 0,
      });
    }).then((bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  /** PNG of the top of the first page, in print media, for previews in the agency UI. */
  screenshotFirstPage(html: string): Promise<Buffer> {
    return this.enqueue('screen', async (page) => {
      await page.setViewport(A4_VIEWPORT);
      await page.emulateMediaType('print');
      try {
        await page.setContent(html, { waitUntil: 'load', timeout: 0 });
        return await page.screenshot({ type: 'png', clip: { x: 0, y: 0, ...A4_VIEWPORT } });
      } finally {
        await page.emulateMediaType();
      }
    }).then((bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  stats(): PdfRendererStats {
    return {
      poolSize: this.poolSize,
      ...this.counters,
      queueLength: this.queue.length,
      inFlight: this.lanes.filter((lane) => lane.running).length,
      sandboxed: this.sandbox,
      framelessPrinting: this.framelessPrinting,
    };
  }

  /** Rejects waiting renders, lets nothing retry, and closes the browser. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new RendererClosedError());
    const live = this.current ?? (this.launching === null ? null : await this.launching.catch(() => null));
    this.current = null;
    if (live !== null) await live.browser.close().catch(() => undefined);
  }

  private enqueue(kind: PageKind, work: PageWork<Uint8Array>): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new RendererClosedError());
    const idle = this.lanes.some((lane) => !lane.running);
    if (!idle && this.queue.length >= this.maxQueueLength) return Promise.reject(new RenderQueueFullError(this.maxQueueLength));
    return new Promise<Uint8Array>((resolve, reject) => {
      this.queue.push({ work, kind, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    for (const lane of this.lanes) {
      if (this.queue.length === 0) return;
      if (!lane.running) void this.runLane(lane);
    }
  }

  private async runLane(lane: Lane): Promise<void> {
    lane.running = true;
    try {
      for (;;) {
        for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
          try {
            job.resolve(await this.execute(lane, job.kind, job.work));
            this.counters.rendersCompleted += 1;
          } catch (error) {
            this.counters.rendersFailed += 1;
            job.reject(error);
          }
        }
        // Another lane took the job this one left its page unblanked for (see `release`).
        await this.blank(lane);
        if (this.queue.length === 0 || this.closed) break;
      }
    } finally {
      lane.running = false;
    }
  }

  /** Runs one job on the lane's page, retrying once if the browser or the page died. */
  private async execute<T>(lane: Lane, kind: PageKind, work: PageWork<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      if (this.closed) throw new RendererClosedError();
      const live = await this.liveBrowser();
      let page: Page | null = null;
      try {
        page = await this.pageFor(lane, live, kind);
        const result = await this.withTimeout(work(page), page);
        await this.release(lane);
        return result;
      } catch (error) {
        await this.discardPage(lane);
        if (error instanceof RenderTimeoutError || this.closed) throw error;
        const browserDied = !live.browser.connected || this.current?.generation !== live.generation;
        const pageDied = page === null || page.isClosed();
        if (attempt >= 2 || !(browserDied || pageDied)) throw error;
        this.counters.retries += 1;
      }
    }
  }

  private withTimeout<T>(work: Promise<T>, page: Page): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.counters.timeouts += 1;
        reject(new RenderTimeoutError(this.renderTimeoutMs));
        // The page is stuck mid-render: closing it aborts the pending CDP calls.
        void page.close().catch(() => undefined);
      }, this.renderTimeoutMs);
      work.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /**
   * After a job: recycle the page after N renders, otherwise blank it: the report must not
   * linger in a page another client's render will reuse. When a job is waiting, the page is
   * left as it is for it: its document replaces this one (JavaScript is off, nothing of the
   * previous report survives), and a blank document between two reports cost ~10-15 ms of
   * CPU a report under load (bench:reports). Should another lane take that job, this lane
   * blanks its page before going idle (`runLane`).
   */
  private async release(lane: Lane): Promise<void> {
    lane.renders += 1;
    if (lane.renders >= this.recycleAfterRenders) {
      this.counters.pagesRecycled += 1;
      await this.discardPage(lane);
      return;
    }
    lane.dirty = true;
    if (this.queue.length === 0) await this.blank(lane);
  }

  /**
   * The document, until its load event. A page without frames (see `createPage`) lays out only
   * when asked to, and some loads wait for a layout (an <object> in a document whose stylesheet
   * blocked rendering waits forever; fonts are requested when text is laid out): one layout is
   * asked for at DOMContentLoaded (`Page.getLayoutMetrics` lays the page out), as the first frame
   * of an ordinary page would.
   */
  private async setContent(page: Page, html: string): Promise<void> {
    if (!this.framelessPrinting) {
      await page.setContent(html, { waitUntil: 'load', timeout: 0 });
      return;
    }
    let session = this.layoutSessions.get(page);
    if (session === undefined) {
      session = await page.createCDPSession();
      this.layoutSessions.set(page, session);
    }
    const layOut = (): void => void session.send('Page.getLayoutMetrics').catch(() => undefined);
    page.once('domcontentloaded', layOut);
    try {
      await page.setContent(html, { waitUntil: 'load', timeout: 0 });
    } finally {
      page.off('domcontentloaded', layOut);
    }
  }

  private async blank(lane: Lane): Promise<void> {
    const page = lane.page;
    if (!lane.dirty || page === null || page.isClosed()) return;
    lane.dirty = false;
    await page.setContent(BLANK_DOCUMENT, { waitUntil: 'domcontentloaded' }).catch(() => this.discardPage(lane));
  }

  private async discardPage(lane: Lane): Promise<void> {
    const page = lane.page;
    lane.page = null;
    lane.renders = 0;
    lane.dirty = false;
    if (page !== null && !page.isClosed()) await page.close().catch(() => undefined);
  }

  private async pageFor(lane: Lane, live: LiveBrowser, kind: PageKind): Promise<Page> {
    if (lane.page !== null && lane.generation === live.generation && !lane.page.isClosed() && lane.kind === kind) return lane.page;
    // A page of a dead browser, or of the other kind (a preview between two PDFs, in the API).
    if (lane.page !== null && lane.generation === live.generation) await this.discardPage(lane);
    lane.page = null;
    lane.renders = 0;
    const page = await this.createPage(live, kind);
    this.counters.pagesCreated += 1;
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request) => this.filterRequest(request));
    lane.page = page;
    lane.kind = kind;
    lane.generation = live.generation;
    return page;
  }

  /**
   * A page for `kind`. PDFs print on a page whose frames DevTools controls and never asks for
   * (`enableBeginFrameControl`, headless shell only): such a page lays out and prints as any
   * other — the PDF comes from its own print layout and paint — but its compositor never draws
   * the report on screen after setContent, which an ordinary page does for nothing. Measured
   * with the 13-page demo report, Node + Chromium CPU per report: an ordinary and a frameless
   * page side by side in one browser (three runs) 428 → 334, 278 → 264, 309 → 264 ms;
   * bench:reports back to back (100 reports, 2026-12-02's shared machine, load ~15 on 2 cores)
   * 354 and 339 ms before, 282 and 306 ms after (−15 %); on the quiet machine (200 reports, two
   * pairs in both orders) 284 and 298 → 279 and 272 ms (−5 %), 6.77 and 6.48 → 6.89 and 7.06
   * reports/s. Identical PDFs (same text, fonts and page images). Screenshots need frames: a
   * preview gets an ordinary page.
   */
  private async createPage(live: LiveBrowser, kind: PageKind): Promise<Page> {
    if (kind === 'screen' || live.control === null) return live.browser.newPage();
    // A URL of its own identifies the new target among the browser's (about:blank otherwise).
    this.pageSerial += 1;
    const url = `about:blank#pilotage-print-${this.pageSerial}`;
    try {
      await live.control.send('Target.createTarget', { url, enableBeginFrameControl: true });
      const target = await live.browser.waitForTarget((candidate) => candidate.url() === url, { timeout: this.launchTimeoutMs });
      const page = await target.page();
      if (page !== null) return page;
    } catch (error) {
      if (!live.browser.connected) throw error;
    }
    // The browser lives but would not give a frameless page: an ordinary one prints the same PDF.
    this.counters.framelessFallbacks += 1;
    return live.browser.newPage();
  }

  private filterRequest(request: HTTPRequest): void {
    const url = request.url();
    if (url.startsWith('data:') || url === 'about:blank') {
      void request.continue().catch(() => undefined);
      return;
    }
    this.counters.blockedRequests += 1;
    void request.abort('blockedbyclient').catch(() => undefined);
  }

  private liveBrowser(): Promise<LiveBrowser> {
    if (this.current !== null && this.current.browser.connected) return Promise.resolve(this.current);
    if (this.launching === null) {
      this.launching = this.launchBrowser().finally(() => {
        this.launching = null;
      });
    }
    return this.launching;
  }

  private async launchBrowser(): Promise<LiveBrowser> {
    let browser: Browser;
    try {
      browser = await this.launchChromium();
    } catch (error) {
      if (!this.sandbox || !/sandbox|namespace/i.test(error instanceof Error ? error.message : String(error))) throw error;
      process.emitWarning(
        `Chromium's sandbox is unavailable here, rendering without it: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        {
          code: 'PILOTAGE_CHROMIUM_NO_SANDBOX',
        },
      );
      this.sandbox = false;
      browser = await this.launchChromium();
    }
    if (this.closed) {
      await browser.close().catch(() => undefined);
      throw new RendererClosedError();
    }
    this.generation += 1;
    const control = this.framelessPrinting
      ? await browser
          .target()
          .createCDPSession()
          .catch(() => null)
      : null;
    const live: LiveBrowser = { browser, generation: this.generation, control };
    this.current = live;
    this.counters.browserLaunches += 1;
    browser.once('disconnected', () => {
      if (this.current === live) this.current = null;
    });
    return live;
  }

  private launchChromium(): Promise<Browser> {
    return launch({
      executablePath: this.executablePath,
      headless: headlessModeFor(this.executablePath),
      args: chromiumArgs(this.sandbox),
      timeout: this.launchTimeoutMs,
      // DevTools over a pipe (fds 3 and 4), not a WebSocket: when this process dies, even by
      // SIGKILL where no handler runs, the kernel closes the pipe and Chromium exits on it — no
      // orphaned browser. (Node offers no PR_SET_PDEATHSIG; a pipe's end is the same guarantee.)
      pipe: true,
      // The browser is ours to manage: no SIGINT/SIGTERM handlers installed in the worker.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  }
}
