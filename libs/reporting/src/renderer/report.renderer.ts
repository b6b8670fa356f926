import type { ReportSnapshot } from '../snapshot/report-snapshot';
import { ReportTemplateEngine, type RenderedReportDocument } from '../view/report-template.engine';
import { buildReportViewModel, type ReportViewModelOptions } from '../view/report-view-model';
import type { PdfRenderer } from './pdf-renderer';

export interface RenderReportOptions extends ReportViewModelOptions {
  /** Templates to use; the process-wide engine over `templates/` by default. */
  readonly engine?: ReportTemplateEngine;
}

let sharedEngine: ReportTemplateEngine | null = null;

/** Templates are read and compiled once per process, on first use. */
export function defaultReportTemplateEngine(): ReportTemplateEngine {
  sharedEngine ??= new ReportTemplateEngine();
  return sharedEngine;
}

/** Snapshot → view model (narrative, formats, charts) → HTML with header and footer. */
export function renderReportDocument(snapshot: ReportSnapshot, options: RenderReportOptions = {}): RenderedReportDocument {
  const engine = options.engine ?? defaultReportTemplateEngine();
  return engine.render(buildReportViewModel(snapshot, options));
}

export function renderReportHtml(snapshot: ReportSnapshot, options: RenderReportOptions = {}): string {
  return renderReportDocument(snapshot, options).html;
}

/** The whole pipeline: snapshot → HTML → PDF through the renderer's page pool. */
export function renderReportPdf(renderer: PdfRenderer, snapshot: ReportSnapshot, options: RenderReportOptions = {}): Promise<Buffer> {
  const document = renderReportDocument(snapshot, options);
  return renderer.render(document.html, { headerTemplate: document.headerTemplate, footerTemplate: document.footerTemplate, title: document.title });
}
