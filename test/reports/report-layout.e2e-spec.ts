import { finishReportPdf } from '@pilotage/report-production';
import { demoReportSnapshot, PdfRenderer, renderReportDocument, type ReportKpi, type ReportSnapshot } from '@pilotage/reporting';
import { BROWSER_TIMEOUT_MS, REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';
import { htmlHeadings, pdfRoleMap, readPdfLayout, type PdfLayoutReading } from './pdf-structure';

/**
 * The standard structure types of PDF 1.4 (PDF Reference, third edition, §9.7.4), written out
 * here rather than imported: the test checks the production list, it does not reuse it.
 */
const PDF_1_4_TYPES = new Set(
  'Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD Span Quote Note Reference BibEntry Code Link Figure Formula Form'.split(
    ' ',
  ),
);

/** A last page holding fewer lines than this (header and footer included) is an orphan page. */
const MIN_LAST_PAGE_LINES = 15;

interface RenderedReport {
  readonly snapshot: ReportSnapshot;
  readonly html: string;
  readonly pdf: Buffer;
  readonly reading: PdfLayoutReading;
}

/** The demo's twelve KPIs and thirteen more (a second shop's copies): a 25-KPI plan. */
function twentyFiveKpiSnapshot(): ReportSnapshot {
  const base = demoReportSnapshot({ seed: 7 });
  const copies = Array.from({ length: 13 }, (_, index): ReportKpi => {
    const kpi = base.kpis[index % base.kpis.length] ?? base.kpis[0];
    if (kpi === undefined) throw new Error('The demo snapshot has no KPIs');
    return { ...kpi, key: `${kpi.key}_copy_${index}`, name: `${kpi.name} (magasin ${index + 2})` };
  });
  return { ...base, kpis: [...base.kpis, ...copies] };
}

function structureTypes(pdf: Buffer): string[] {
  return [...new Set([...pdf.toString('latin1').matchAll(/\/Type \/StructElem\s*\/S \/(\w+)/g)].map((match) => match[1] ?? ''))];
}

/** "SynthèseSynthèse": a title that is some text twice. */
function isDoubled(title: string): boolean {
  const half = title.length / 2;
  return Number.isInteger(half) && half > 0 && title.slice(0, half) === title.slice(half);
}

describe('report layout and PDF structure (demo reports through Chromium)', () => {
  let renderer: PdfRenderer;
  const reports = new Map<string, RenderedReport>();

  const render = async (name: string, snapshot: ReportSnapshot): Promise<void> => {
    const document = renderReportDocument(snapshot);
    const rendered = await renderer.render(document.html, {
      headerTemplate: document.headerTemplate,
      footerTemplate: document.footerTemplate,
      title: document.title,
    });
    const { pdf } = finishReportPdf(rendered, snapshot);
    reports.set(name, { snapshot, html: document.html, pdf, reading: await readPdfLayout(pdf) });
  };
  const report = (name: string): RenderedReport => {
    const found = reports.get(name);
    if (found === undefined) throw new Error(`${name} was not rendered`);
    return found;
  };

  beforeAll(async () => {
    renderer = new PdfRenderer({ poolSize: 1 });
    await render('fr', demoReportSnapshot());
    await render('en', demoReportSnapshot({ client: { locale: 'en', name: 'Cloudly', currency: 'USD' } }));
    await render('25 KPIs', twentyFiveKpiSnapshot());
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await renderer.close();
  }, TEARDOWN_TIMEOUT_MS);

  describe.each(['fr', 'en'])('the 12-KPI demo report (%s)', (name) => {
    it('fits in 8 pages and its last page is not an orphan', () => {
      const { snapshot, reading } = report(name);
      expect(snapshot.kpis.length).toBe(12);
      expect(reading.pages).toBeLessThanOrEqual(8);
      expect(reading.pageLines.at(-1)?.length).toBeGreaterThanOrEqual(MIN_LAST_PAGE_LINES);
    });

    it('has one bookmark per heading: every h1 once, every KPI once, no title doubled', () => {
      const { snapshot, html, reading } = report(name);
      expect(reading.outline.filter(isDoubled)).toEqual([]);
      const h1s = htmlHeadings(html).filter((heading) => heading.level === 1);
      expect(h1s.length).toBeGreaterThanOrEqual(5);
      for (const { text } of h1s) expect({ text, bookmarks: reading.outline.filter((title) => title === text).length }).toEqual({ text, bookmarks: 1 });
      for (const kpi of snapshot.kpis) {
        const printed = kpi.name.replace(/(\p{L})'(?=\p{L})/gu, '$1’');
        expect({ kpi: printed, bookmarks: reading.outline.filter((title) => title === printed).length }).toEqual({ kpi: printed, bookmarks: 1 });
      }
    });

    it('extracts upper-case kickers as written and never letter by letter', () => {
      const { reading } = report(name);
      expect(reading.text).toContain('ENGAGEMENT');
      expect(reading.text).not.toMatch(/(?:^|\s)(?:\p{Lu}{1,2} ){3,}\p{Lu}{1,2}(?:\s|$)/mu);
    });

    it('prints typographic apostrophes only', () => {
      const { reading } = report(name);
      expect(reading.text).not.toContain("'");
      expect(reading.text).toContain('’');
    });

    it('declares PDF 1.4 and tags with 1.4 structure types, the later ones role-mapped, charts as figures', () => {
      const { pdf, reading } = report(name);
      expect(reading.header).toBe('%PDF-1.4');
      expect(reading.tagged).toBe(true);
      const roleMap = pdfRoleMap(pdf);
      const used = structureTypes(pdf);
      expect(used).toContain('Figure');
      for (const type of used) {
        const role = PDF_1_4_TYPES.has(type) ? type : roleMap.get(type);
        expect({ type, standard: role !== undefined && PDF_1_4_TYPES.has(role) }).toEqual({ type, standard: true });
      }
      expect([...roleMap.values()].every((role) => PDF_1_4_TYPES.has(role))).toBe(true);
    });

    it('runs the header and footer in the brand font on every page but the cover', () => {
      const { snapshot, reading } = report(name);
      const pageWord = 'Page'; // the same word in French and English
      expect(reading.pageLines[0]?.join('\n')).not.toContain(`${pageWord} 1`);
      for (let page = 2; page <= reading.pages; page += 1) {
        const lines = reading.pageLines[page - 1] ?? [];
        expect(lines[0]).toContain(snapshot.client.name);
        expect(lines.at(-1)).toContain(`${pageWord} ${page} / ${reading.pages}`);
        const running = reading.placedText.filter(
          (text) => text.page === page && (text.text === snapshot.client.name || text.text.startsWith(`${pageWord} ${page}`)),
        );
        expect(running.length).toBeGreaterThanOrEqual(2);
        expect(running.every((text) => text.family.startsWith(snapshot.agency.branding.fontFamily))).toBe(true);
      }
    });
  });

  describe('a 25-KPI plan', () => {
    it('stays readable: every KPI has its card, no page is near empty, the scorecard’s header repeats', () => {
      const { snapshot, reading } = report('25 KPIs');
      expect(snapshot.kpis.length).toBe(25);
      expect(reading.pages).toBeLessThanOrEqual(12);
      for (const kpi of snapshot.kpis) {
        const printed = kpi.name.replace(/(\p{L})'(?=\p{L})/gu, '$1’');
        expect({ kpi: printed, bookmarks: reading.outline.filter((title) => title === printed).length }).toEqual({ kpi: printed, bookmarks: 1 });
      }
      reading.pageLines
        .slice(1)
        .forEach((lines, index) => expect({ page: index + 2, full: lines.length >= MIN_LAST_PAGE_LINES }).toEqual({ page: index + 2, full: true }));
      expect(reading.outline.filter(isDoubled)).toEqual([]);
      // The 30 rows of the scorecard take two pages: its column headings open both.
      const scorecardHeadings = reading.pageLines.filter((lines) =>
        lines.some((line) => /INDICATEUR\s+VALEUR\s+OBJECTIF\s+ATTEINTE\s+VS M−1\s+VS N−1/.test(line)),
      );
      expect(scorecardHeadings.length).toBe(2);
    });
  });

  it(
    'renders the running header and footer without Chromium’s own templates',
    () => {
      const document = renderReportDocument(demoReportSnapshot());
      expect([document.headerTemplate, document.footerTemplate]).toEqual(['', '']);
      expect(report('fr').reading.pageLines[1]?.filter((line) => /\d{2}\/\d{2}\/\d{4}|about:blank/.test(line))).toEqual([]);
    },
    BROWSER_TIMEOUT_MS,
  );
});
