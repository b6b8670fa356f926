/**
 * Small, exact edits of the PDFs Chromium (Skia) writes: a classic cross-reference table, a
 * trailer with `/Info n 0 R`, every page an uncompressed `/Type /Page` object, the structure
 * tree root an uncompressed dictionary. Not a general PDF library — none is a dependency of the
 * project, and these needs are a few lines.
 */

/** Counts the page objects; `/Pages` (the page tree's nodes) is excluded by the lookahead. */
export function countPdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
}

export interface PdfDocumentInfo {
  readonly author?: string;
  readonly subject?: string;
}

/** A PDF text string as UTF-16BE hex with its byte-order mark: any character, nothing to escape. */
function pdfTextString(text: string): string {
  const bytes = Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
  return `<${bytes.toString('hex').toUpperCase()}>`;
}

/** A dictionary entry `/Key value`; values are names, hex or literal strings (with escapes) or references. */
function withoutEntry(dictionary: string, key: string): string {
  return dictionary.replace(new RegExp(`/${key}\\s*(?:<[0-9A-Fa-f\\s]*>|\\((?:\\\\.|[^\\\\)])*\\)|\\d+ \\d+ R)`, 'g'), '');
}

interface PdfTrailer {
  readonly size: string;
  readonly root: string;
  /** Object number of the document information dictionary, when the file has one. */
  readonly infoNumber: string | undefined;
  readonly previousXref: string;
}

function readTrailer(text: string, purpose: string): PdfTrailer {
  const trailerAt = text.lastIndexOf('trailer');
  const startxrefAt = text.lastIndexOf('startxref');
  if (trailerAt < 0 || startxrefAt < trailerAt) throw new Error(`PDF without a classic trailer: cannot ${purpose}`);
  const trailer = text.slice(trailerAt, startxrefAt);
  const size = /\/Size\s+(\d+)/.exec(trailer)?.[1];
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(trailer)?.[1];
  const infoNumber = /\/Info\s+(\d+)\s+0\s+R/.exec(trailer)?.[1];
  const previousXref = /startxref\s+(\d+)/.exec(text.slice(startxrefAt))?.[1];
  if (size === undefined || root === undefined || previousXref === undefined) {
    throw new Error(`PDF trailer without /Size, /Root or startxref: cannot ${purpose}`);
  }
  return { size, root, infoNumber, previousXref };
}

/** The body of object `number`'s dictionary; the last definition wins (incremental updates). */
function objectDictionary(text: string, number: string): string | undefined {
  return [...text.matchAll(new RegExp(`(?:^|[\\r\\n])${number} 0 obj\\s*<<([\\s\\S]*?)>>\\s*endobj`, 'g'))].at(-1)?.[1];
}

/**
 * Appends new versions of objects by an incremental update (ISO 32000-1 §7.5.6): the original
 * bytes stay untouched, the new objects and a cross-reference section pointing at them are
 * appended, with a trailer chained to the previous one.
 */
function withUpdatedObjects(pdf: Buffer, text: string, trailer: PdfTrailer, objects: ReadonlyMap<string, string>): Buffer {
  const head = text.endsWith('\n') ? '' : '\n';
  let offset = pdf.length + head.length;
  let bodies = '';
  let xref = 'xref\n';
  for (const [number, dictionary] of [...objects].sort(([a], [b]) => Number(a) - Number(b))) {
    const body = `${number} 0 obj\n<<${dictionary}>>\nendobj\n`;
    xref += `${number} 1\n${String(offset).padStart(10, '0')} 00000 n \n`;
    bodies += body;
    offset += Buffer.byteLength(body, 'latin1');
  }
  const info = trailer.infoNumber === undefined ? '' : `\n/Info ${trailer.infoNumber} 0 R`;
  const update = `${head}${bodies}${xref}trailer\n<</Size ${trailer.size}\n/Root ${trailer.root}${info}\n/Prev ${trailer.previousXref}>>\nstartxref\n${offset}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(update, 'latin1')]);
}

/**
 * Sets Author and Subject in the document information dictionary (Chromium only fills Title
 * from `<title>`), by an incremental update. Readers (pdfinfo, Acrobat, macOS) show the new values.
 */
export function withDocumentInfo(pdf: Buffer, info: PdfDocumentInfo): Buffer {
  const text = pdf.toString('latin1');
  const trailer = readTrailer(text, 'set its document information');
  if (trailer.infoNumber === undefined) throw new Error('PDF trailer without /Info: cannot set its document information');
  const object = objectDictionary(text, trailer.infoNumber);
  if (object === undefined) throw new Error(`PDF information object ${trailer.infoNumber} not found`);
  let dictionary = object;
  const entries: string[] = [];
  if (info.author !== undefined) {
    dictionary = withoutEntry(dictionary, 'Author');
    entries.push(`/Author ${pdfTextString(info.author)}`);
  }
  if (info.subject !== undefined) {
    dictionary = withoutEntry(dictionary, 'Subject');
    entries.push(`/Subject ${pdfTextString(info.subject)}`);
  }
  return withUpdatedObjects(pdf, text, trailer, new Map([[trailer.infoNumber, `${dictionary.trim()}\n${entries.join('\n')}`]]));
}

/**
 * The standard structure types of PDF 1.4 (PDF Reference, third edition, §9.7.4): the version
 * Chromium declares in the header of the files it writes.
 */
export const PDF_1_4_STRUCTURE_TYPES: ReadonlySet<string> = new Set(
  [
    ['Document', 'Part', 'Art', 'Sect', 'Div', 'BlockQuote', 'Caption', 'TOC', 'TOCI', 'Index', 'NonStruct', 'Private'],
    ['P', 'H', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'L', 'LI', 'Lbl', 'LBody', 'Table', 'TR', 'TH', 'TD'],
    ['Span', 'Quote', 'Note', 'Reference', 'BibEntry', 'Code', 'Link', 'Figure', 'Formula', 'Form'],
  ].flat(),
);

/**
 * What the types of later versions that Chromium writes are in PDF 1.4. Chromium tags `<strong>`
 * and `<em>` as PDF 2.0's Strong and Em (seen in the demo report: the appendix's and the
 * commentary's bold); later PDF 1.5/2.0 types are mapped to their closest 1.4 ancestor.
 */
const LATER_STRUCTURE_TYPES: Readonly<Record<string, string>> = {
  Strong: 'Span',
  Em: 'Span',
  Sub: 'Span',
  Title: 'H',
  Aside: 'Div',
  FENote: 'Note',
  DocumentFragment: 'Div',
  THead: 'NonStruct',
  TBody: 'NonStruct',
  TFoot: 'NonStruct',
};

/** Structure types used by the file's structure elements (`/S /Name` in `/Type /StructElem` objects). */
export function pdfStructureTypes(pdf: Buffer): Set<string> {
  const text = pdf.toString('latin1');
  return new Set([...text.matchAll(/\/Type\s*\/StructElem\s*\/S\s*\/([A-Za-z0-9]+)/g)].map((match) => match[1] ?? ''));
}

/**
 * Makes a tagged PDF's structure valid for the version its header declares. Chromium writes
 * `%PDF-1.4` but tags with some PDF 2.0 structure types (Strong, Em); a 1.4 file may use any
 * type provided the structure tree root's role map maps it to a standard one (PDF Reference
 * 1.4, §9.7.3, "Role Maps"). The role map is added by an incremental update; assistive
 * technology that knows PDF 2.0 still sees Strong and Em, a 1.4 reader sees Span. A file
 * without a structure tree (`tagged: false`) or without such types is returned as it is.
 */
export function withStandardStructureTypes(pdf: Buffer): Buffer {
  const used = [...pdfStructureTypes(pdf)].filter((type) => !PDF_1_4_STRUCTURE_TYPES.has(type));
  if (used.length === 0) return pdf;
  const text = pdf.toString('latin1');
  const trailer = readTrailer(text, 'map its structure types');
  const catalog = objectDictionary(text, trailer.root.split(/\s+/)[0] ?? '');
  const rootNumber = catalog === undefined ? undefined : /\/StructTreeRoot\s+(\d+)\s+0\s+R/.exec(catalog)?.[1];
  const structTreeRoot = rootNumber === undefined ? undefined : objectDictionary(text, rootNumber);
  if (rootNumber === undefined || structTreeRoot === undefined) throw new Error('Tagged PDF without a structure tree root: cannot map its structure types');
  if (/\/RoleMap/.test(structTreeRoot)) throw new Error('The structure tree root already has a role map: not merged with another');
  const roleMap = used
    .sort()
    .map((type) => `/${type} /${LATER_STRUCTURE_TYPES[type] ?? 'NonStruct'}`)
    .join(' ');
  return withUpdatedObjects(pdf, text, trailer, new Map([[rootNumber, `${structTreeRoot.trim()}\n/RoleMap <<${roleMap}>>`]]));
}
