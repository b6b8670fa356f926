import { demoReportSnapshot } from '../snapshot/demo-snapshot';
import { renderReportDocument } from '../renderer/report.renderer';
import { BUNDLED_FONTS } from './bundled-fonts';
import { safeLogo } from './report-view-model';

describe('report HTML', () => {
  it('escapes user text and applies only paragraphs, line breaks and bold to commentary', () => {
    const snapshot = demoReportSnapshot({
      commentary: 'Bonne **progression**\n<img src="file:///etc/passwd"><script>alert(1)</script>\n\nSecond paragraphe',
      client: { name: 'Client <b>"bold"</b>' },
    });
    const { html } = renderReportDocument(snapshot);
    expect(html).toContain(
      '<p>Bonne <strong>progression</strong><br>&lt;img src&#x3D;&quot;file:///etc/passwd&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p><p>Second paragraphe</p>',
    );
    expect(html).not.toContain('<img src="file:');
    expect(html).not.toContain('<script');
    expect(html).toContain('Client &lt;b&gt;&quot;bold&quot;&lt;/b&gt;');
    // The running header prints the name from CSS: a string with its quotes and brackets escaped.
    expect(html).toContain('@top-left { content: "Client \\3c b\\3e \\22 bold\\22 \\3c /b\\3e "; }');
  });

  it('keeps whatever a name holds inside the CSS string of the running header and footer', () => {
    const hostile = 'A"; } body { display: none } @page { @top-left { content: "x\\</style><script>alert(1)</script>\nB';
    const { html, headerTemplate, footerTemplate } = renderReportDocument(demoReportSnapshot({ client: { name: hostile } }));
    const header = /@top-left \{ content: ("[^"]*"); \}/.exec(html)?.[1];
    expect(header).toBe(
      '"A\\22 ; } body { display: none } @page { @top-left { content: \\22 x\\5c \\3c /style\\3e \\3c script\\3e alert(1)\\3c /script\\3e \\a B"',
    );
    expect(html).not.toContain('<script>');
    const styleEnds = (document: string): number => document.match(/<\/style>/g)?.length ?? 0;
    expect(styleEnds(html)).toBe(styleEnds(renderReportDocument(demoReportSnapshot()).html));
    // Chromium's own templates stay empty: the renderer then prints no header or footer of its own.
    expect([headerTemplate, footerTemplate]).toEqual(['', '']);
  });

  it('prints typographic apostrophes in labels, catalog names and typed text, and leaves CSS and SVG alone', () => {
    const snapshot = demoReportSnapshot({ commentary: "L'équipe a relancé l'offre d'automne." });
    const { html, title } = renderReportDocument({ ...snapshot, client: { ...snapshot.client, name: "L'Atelier d'Émile" } });
    expect(html).toContain('L’équipe a relancé l’offre d’automne.');
    expect(html).toContain('Chiffre d’affaires');
    expect(html).toContain('@top-left { content: "L’Atelier d’Émile"; }');
    expect(title).toContain('L’Atelier d’Émile');
    expect(html).not.toMatch(/\p{L}&#x27;\p{L}/u);
    expect(html).toContain("font-family:'Inter'");
  });

  it('sets the language, title and author metadata and one h1 per section (coverage is in the scorecard’s notes)', () => {
    const { html, title, chartCount } = renderReportDocument(demoReportSnapshot());
    expect(html).toContain('<html lang="fr">');
    expect(title).toBe('Rapport mensuel de performance — Maison Lumière — Octobre 2026');
    expect(html).toContain('<meta name="author" content="Camille Durand">');
    // The project manager's analysis is an h2 of the summary's page, not a section of its own.
    expect(html.match(/<h1[ >]/g)?.length).toBe(6);
    expect(chartCount).toBe(13);
  });

  it('inlines the fonts as base64 and references nothing outside the document', () => {
    const { html } = renderReportDocument(
      demoReportSnapshot({ agency: { name: 'Atelier Nord', branding: { ...demoReportSnapshot().agency.branding, fontFamily: 'Lato' } } }),
    );
    expect(html).toContain("@font-face{font-family:'Lato'");
    expect(html).toContain('url(data:font/woff2;base64,');
    expect(html).not.toMatch(/(?:src|href)="(?!data:)/);
    expect(html).not.toMatch(/url\((?!data:|#)/);
    expect(BUNDLED_FONTS).toContain('Inter');
  });

  it('inlines the latin-ext faces only for a report whose text needs them', () => {
    const latinOnly = renderReportDocument(demoReportSnapshot()).html;
    expect(latinOnly.match(/@font-face\{/g)).toHaveLength(3);
    expect(latinOnly).not.toContain('U+0100-02BA');
    const polish = renderReportDocument(demoReportSnapshot({ client: { name: 'Księgarnia Łódź' } })).html;
    expect(polish.match(/@font-face\{/g)).toHaveLength(6);
    expect(polish).toContain('U+0100-02BA');
  });

  it('drops logos that are not inline images and colours that are not hex', () => {
    expect(safeLogo('file:///etc/passwd')).toBeNull();
    expect(safeLogo('http://169.254.169.254/latest/meta-data')).toBeNull();
    expect(safeLogo('data:text/html;base64,PHNjcmlwdD4=')).toBeNull();
    expect(safeLogo('data:image/png;base64,iVBORw0KGgo=')).toBe('data:image/png;base64,iVBORw0KGgo=');
    const base = demoReportSnapshot();
    const { html } = renderReportDocument({
      ...base,
      agency: {
        ...base.agency,
        branding: { ...base.agency.branding, primaryColor: 'red;background:url(http://127.0.0.1:9/)', logoDataUri: 'http://127.0.0.1:9/logo.png' },
      },
    });
    expect(html).not.toContain('127.0.0.1');
    expect(html).toContain('--primary: #1f3a5f;');
  });

  it('writes the report in English for an English-speaking client', () => {
    const { html } = renderReportDocument(demoReportSnapshot({ client: { locale: 'en' } }));
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('October 2026');
    expect(html).toContain('Scorecard');
  });
});
