import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A line of text as `pdftohtml -xml` places it, with the font family it is set in. */
export interface PlacedText {
  readonly page: number;
  readonly top: number;
  readonly text: string;
  /** Family of the embedded font, without its subset prefix ("Inter", "Inter-SemiBold"). */
  readonly family: string;
}

export interface PdfLayoutReading {
  /** `pdfinfo` Pages. */
  readonly pages: number;
  /** The first bytes of the file: `%PDF-1.4`. */
  readonly header: string;
  readonly tagged: boolean;
  /** Bookmark titles, depth first, as poppler reads the document outline. */
  readonly outline: string[];
  /** `pdftotext -layout` of each page, non-empty lines only. */
  readonly pageLines: string[][];
  readonly placedText: PlacedText[];
  /** Whole-document `pdftotext` text. */
  readonly text: string;
}

function xmlText(raw: string): string {
  return raw
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(Number.parseInt(code, 16)))
    .replace(/&amp;/g, '&');
}

/** Reads what a reader's tools see of a PDF's layout and structure: poppler's pdfinfo, pdftotext and pdftohtml. */
export async function readPdfLayout(pdf: Buffer): Promise<PdfLayoutReading> {
  const directory = await mkdtemp(join(tmpdir(), 'pilotage-layout-'));
  const file = join(directory, 'report.pdf');
  try {
    await writeFile(file, pdf);
    const info = (await run('pdfinfo', [file])).stdout;
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
    const pageLines: string[][] = [];
    for (let page = 1; page <= pages; page += 1) {
      const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', '-f', String(page), '-l', String(page), file, '-']);
      pageLines.push(stdout.split('\n').filter((line) => line.trim() !== ''));
    }
    const xml = (await run('pdftohtml', ['-xml', '-i', '-stdout', '-enc', 'UTF-8', file], { maxBuffer: 64 * 1024 * 1024 })).stdout;
    const outlineXml = xml.slice(xml.indexOf('<outline>'));
    const outline = [...outlineXml.matchAll(/<item[^>]*>([\s\S]*?)<\/item>/g)].map((match) => xmlText(match[1] ?? ''));
    const families = new Map(
      [...xml.matchAll(/<fontspec id="(\d+)"[^>]*family="([^"]*)"/g)].map((match) => [match[1] ?? '', (match[2] ?? '').replace(/^[A-Z]{6}\+/, '')]),
    );
    const placedText: PlacedText[] = [];
    for (const pageMatch of xml.matchAll(/<page number="(\d+)"[^>]*>([\s\S]*?)<\/page>/g)) {
      for (const textMatch of (pageMatch[2] ?? '').matchAll(/<text top="(\d+)"[^>]*font="(\d+)"[^>]*>([\s\S]*?)<\/text>/g)) {
        placedText.push({
          page: Number(pageMatch[1]),
          top: Number(textMatch[1]),
          family: families.get(textMatch[2] ?? '') ?? '',
          text: xmlText(textMatch[3] ?? ''),
        });
      }
    }
    const text = (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout;
    return { pages, header: pdf.subarray(0, 8).toString('latin1'), tagged: /^Tagged:\s+yes/m.test(info), outline, pageLines, placedText, text };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Role map of the last structure tree root (the one an incremental update left), type → role. */
export function pdfRoleMap(pdf: Buffer): Map<string, string> {
  const text = pdf.toString('latin1');
  const roots = [...text.matchAll(/\/Type \/StructTreeRoot[\s\S]*?endobj/g)];
  const roleMap = /\/RoleMap\s*<<([^>]*)>>/.exec(roots.at(-1)?.[0] ?? '')?.[1] ?? '';
  return new Map([...roleMap.matchAll(/\/(\w+)\s*\/(\w+)/g)].map((match) => [match[1] ?? '', match[2] ?? '']));
}

/** The headings of a rendered report's HTML, level and text, in document order. */
export function htmlHeadings(html: string): { level: number; text: string }[] {
  return [...html.matchAll(/<h([12])\b[^>]*>([\s\S]*?)<\/h\1>/g)].map((match) => ({ level: Number(match[1]), text: xmlText(match[2] ?? '').trim() }));
}
