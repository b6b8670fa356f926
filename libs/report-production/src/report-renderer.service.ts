import { availableParallelism } from 'node:os';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { PdfRenderer, RendererClosedError, renderReportDocument, renderReportPdf, type ReportSnapshot } from '@pilotage/reporting';
import { countPdfPages, withDocumentInfo, withStandardStructureTypes } from './pdf-document-info';

/**
 * Pages of a process's Chromium pool, and so the renders a worker runs at once: one more than
 * the cores, so that a core never idles while a page waits on Node (HTML sent, PDF read back).
 * `BENCH_REPORTS=200 npm run bench:reports` on 2 cores (7-page report, 2026-12-02): 2 pages
 * 9.23–9.30 reports/s, 205 ms of CPU a report; 3 pages 10.66/s, 184 ms.
 */
export const REPORT_RENDER_POOL_SIZE = availableParallelism() + 1;

/** The rendered PDF with what the report row keeps about it. */
export interface RenderedReportPdf {
  readonly pdf: Buffer;
  readonly pageCount: number;
}

/**
 * Chromium's PDF as the report keeps it: structure types valid for the PDF version the file
 * declares (tags stay on: the charts' text alternatives live in them), author and subject set.
 */
export function finishReportPdf(rendered: Buffer, snapshot: ReportSnapshot): RenderedReportPdf {
  const tagged = withStandardStructureTypes(rendered);
  const pdf = withDocumentInfo(tagged, { author: snapshot.author.name, subject: `${snapshot.agency.name} · ${snapshot.client.name}` });
  return { pdf, pageCount: countPdfPages(pdf) };
}

/**
 * The process's Chromium page pool, shared by the API (previews, renders after an edit) and
 * the worker. The browser starts on the first render, not at boot: an API process that never
 * renders never pays for it (a worker warms it up at boot, see `warmUp`). Closed with the
 * module, and never launched again afterwards: a job still finishing while the process shuts
 * down would otherwise start a browser that nothing closes.
 */
@Injectable()
export class ReportRendererService implements OnModuleDestroy {
  private renderer: PdfRenderer | null = null;
  private destroyed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async renderPdf(snapshot: ReportSnapshot): Promise<RenderedReportPdf> {
    return finishReportPdf(await renderReportPdf(this.pool(), snapshot), snapshot);
  }

  /** The report's HTML and a PNG of its first page, for the agency UI's preview. */
  async preview(snapshot: ReportSnapshot): Promise<{ html: string; png: Buffer }> {
    const { html } = renderReportDocument(snapshot);
    return { html, png: await this.pool().screenshotFirstPage(html) };
  }

  /**
   * Launches Chromium now: a worker warms up at boot instead of on its first job (bench:batch
   * lost ~2 s of every batch's start to a cold browser).
   */
  async warmUp(): Promise<void> {
    await this.pool().start();
  }

  async onModuleDestroy(): Promise<void> {
    this.destroyed = true;
    const renderer = this.renderer;
    this.renderer = null;
    if (renderer !== null) await renderer.close();
  }

  private pool(): PdfRenderer {
    if (this.destroyed) throw new RendererClosedError();
    this.renderer ??= new PdfRenderer({ executablePath: this.config.chromiumPath ?? undefined, poolSize: REPORT_RENDER_POOL_SIZE });
    return this.renderer;
  }
}
