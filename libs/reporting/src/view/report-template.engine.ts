import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { FONT_FILE_PREFIX, type BundledFont } from './bundled-fonts';
import type { ReportViewModel } from './report-view-model';

export interface RenderedReportDocument {
  readonly html: string;
  /**
   * Chromium's header and footer templates: empty. The running header and footer are page-margin
   * boxes of the document's own CSS (layout.hbs): they print in the brand font the document
   * already loaded, where a template is a separate document per page that cannot reach the
   * page's fonts (inlining them there cost ~40-55 ms of CPU per 8-page report).
   */
  readonly headerTemplate: string;
  readonly footerTemplate: string;
  readonly title: string;
  readonly chartCount: number;
}

/**
 * Latin first. Chromium only decodes the latin-ext face when a character in its range shows up,
 * but every face inlined is still sent to Chromium and parsed with each report: the latin-ext
 * faces (more than half of the bytes) are left out of a report none of whose text needs them.
 */
const FONT_SUBSETS = [
  {
    subset: 'latin',
    unicodeRange:
      'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD',
  },
  {
    subset: 'latin-ext',
    unicodeRange:
      'U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF',
  },
] as const;
const FONT_WEIGHTS = [400, 600, 700] as const;
type FontSubset = (typeof FONT_SUBSETS)[number]['subset'];

/** Matches a character of a CSS `unicode-range` list ("U+0100-02BA,U+02BD-02C5,..."). */
function unicodeRangePattern(unicodeRange: string): RegExp {
  const classes = unicodeRange.split(',').map((range) => {
    const [from, to] = range.replace('U+', '').split('-');
    return to === undefined ? `\\u{${from}}` : `\\u{${from}}-\\u{${to}}`;
  });
  return new RegExp(`[${classes.join('')}]`, 'u');
}

const LATIN_EXT = unicodeRangePattern(FONT_SUBSETS[1].unicodeRange);
/** No Chromium header or footer template: the renderer then prints none (see RenderedReportDocument). */
const EMPTY_PAGE_TEMPLATE = '';
/** Stands for the @font-face rules while the layout renders: which faces it needs depends on its text. */
const FONT_FACES_SLOT = '/*pilotage-font-faces*/';

/**
 * Finds `templates/` from this file: `libs/reporting/src/view` in development and tests,
 * any depth under `dist/` once built. An explicit directory always wins.
 */
export function locateTemplatesDir(start: string = __dirname): string {
  let current = resolve(start);
  for (;;) {
    const candidate = join(current, 'templates', 'report', 'layout.hbs');
    if (existsSync(candidate)) return join(current, 'templates');
    const parent = dirname(current);
    if (parent === current) throw new Error(`Report templates not found: no templates/report/layout.hbs above ${start}`);
    current = parent;
  }
}

/**
 * Typographic apostrophe (U+2019) for a straight one between two letters ("l’objectif",
 * "client’s"), in every text the templates print: labels, catalog names, narrative and what
 * users type alike. Handlebars prints each apostrophe it escapes as `&#x27;`, so the rule applies
 * to that form in the HTML and never touches the document's own CSS or SVG.
 */
const APOSTROPHE_BETWEEN_LETTERS = /(\p{L})'(?=\p{L})/gu;
const ESCAPED_APOSTROPHE_BETWEEN_LETTERS = /(\p{L})&#x27;(?=\p{L})/gu;

function withTypographicApostrophes(text: string): string {
  return text.replace(APOSTROPHE_BETWEEN_LETTERS, '$1\u2019');
}

/**
 * A CSS string literal for `content:` in the page-margin boxes: every character that could end
 * the string, the declaration or the <style> element (quotes, backslash, angle brackets, line
 * breaks) as a CSS escape. Whatever a client's or agency's name holds stays text.
 */
function cssString(text: unknown): Handlebars.SafeString {
  const value = withTypographicApostrophes(typeof text === 'string' ? text : '');
  const escaped = value.replace(/[\\"'<>&\p{Cc}\u2028\u2029]/gu, (character) => `\\${(character.codePointAt(0) ?? 0xfffd).toString(16)} `);
  return new Handlebars.SafeString(`"${escaped}"`);
}

/** Escapes, then allows paragraphs, line breaks and **bold**: nothing a user types becomes markup. */
function lightFormatting(text: unknown): Handlebars.SafeString {
  if (typeof text !== 'string' || text.trim() === '') return new Handlebars.SafeString('');
  const paragraphs = Handlebars.escapeExpression(text.trim())
    .split(/\r?\n[ \t]*\r?\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${paragraph.replace(/\*\*(\S(?:[^*]*\S)?)\*\*/g, '<strong>$1</strong>').replace(/\r?\n/g, '<br>')}</p>`);
  return new Handlebars.SafeString(paragraphs.join(''));
}

/**
 * Handlebars environment of the reports: its own instance (helpers and partials do not leak
 * into, or from, any other Handlebars user in the process), templates compiled once, CSS and
 * base64 fonts read once and reused by every render.
 */
export class ReportTemplateEngine {
  private readonly handlebars = Handlebars.create();
  private readonly layout: Handlebars.TemplateDelegate<ReportViewModel & { readonly css: string; readonly fontFaceCss: string }>;
  private readonly css: string;
  private readonly fontFaces = new Map<string, string>();

  constructor(private readonly templatesDir: string = locateTemplatesDir()) {
    const reportDir = join(templatesDir, 'report');
    const read = (file: string): string => readFileSync(join(reportDir, file), 'utf8');
    this.handlebars.registerHelper('lightFormatting', lightFormatting);
    this.handlebars.registerHelper('cssString', cssString);
    this.handlebars.registerHelper('eq', (left: unknown, right: unknown) => left === right);
    const partialsDir = join(reportDir, 'partials');
    for (const file of readdirSync(partialsDir).filter((name) => name.endsWith('.hbs'))) {
      this.handlebars.registerPartial(basename(file, '.hbs'), this.handlebars.compile(readFileSync(join(partialsDir, file), 'utf8'), { strict: false }));
    }
    // `noEscape` stays false: every {{ }} is HTML-escaped; only generated SVG and our own CSS use {{{ }}}.
    this.layout = this.handlebars.compile(read('layout.hbs'));
    this.css = read('report.css');
  }

  render(view: ReportViewModel): RenderedReportDocument {
    const html = this.layout({ ...view, css: this.css, fontFaceCss: FONT_FACES_SLOT }).replace(ESCAPED_APOSTROPHE_BETWEEN_LETTERS, '$1\u2019');
    const subsets: FontSubset[] = LATIN_EXT.test(html) ? ['latin', 'latin-ext'] : ['latin'];
    return {
      html: html.replace(FONT_FACES_SLOT, () => this.fontFaceCss(view.brand.fontFamily, subsets)),
      headerTemplate: EMPTY_PAGE_TEMPLATE,
      footerTemplate: EMPTY_PAGE_TEMPLATE,
      title: withTypographicApostrophes(view.title),
      chartCount: view.chartCount,
    };
  }

  /** @font-face rules with the woff2 files as base64 data URIs, built once per family and subsets. */
  fontFaceCss(font: BundledFont, subsets: readonly FontSubset[] = ['latin', 'latin-ext']): string {
    const key = `${font}|${subsets.join(',')}`;
    const cached = this.fontFaces.get(key);
    if (cached !== undefined) return cached;
    const prefix = FONT_FILE_PREFIX[font];
    const rules: string[] = [];
    for (const { subset, unicodeRange } of FONT_SUBSETS.filter((candidate) => subsets.includes(candidate.subset))) {
      for (const weight of FONT_WEIGHTS) {
        const file = join(this.templatesDir, 'fonts', `${prefix}-${subset}-${weight}-normal.woff2`);
        // Lato has no 600: the browser then synthesises from the nearest weight, as CSS says.
        if (!existsSync(file)) continue;
        const data = readFileSync(file).toString('base64');
        rules.push(
          `@font-face{font-family:'${font}';font-style:normal;font-weight:${weight};font-display:block;` +
            `src:url(data:font/woff2;base64,${data}) format('woff2');unicode-range:${unicodeRange};}`,
        );
      }
    }
    const css = rules.join('\n');
    this.fontFaces.set(key, css);
    return css;
  }
}
