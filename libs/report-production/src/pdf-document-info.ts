/**
 * Small, exact edits of the PDFs Chromium (Skia) writes: a classic cross-reference table, a
 * trailer with `/Info n 0 R`, every page an uncompressed `/Type /Page` object. Not a general
 * PDF library — none is a dependency of the project, and these two needs are a few lines.
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

/**
 * Sets Author and Subject in the document information dictionary (Chromium only fills Title
 * from `<title>`), by an incremental update (ISO 32000-1 §7.5.6): the original bytes stay
 * untouched, a new version of the Info object and a cross-reference section pointing at it
 * are appended. Readers (pdfinfo, Acrobat, macOS) show the new values.
 */
export function withDocumentInfo(pdf: Buffer, info: PdfDocumentInfo): Buffer {
  const text = pdf.toString('latin1');
  const trailerAt = text.lastIndexOf('trailer');
  const startxrefAt = text.lastIndexOf('startxref');
  if (trailerAt < 0 || startxrefAt < trailerAt) throw new Error('PDF without a classic trailer: cannot set its document information');
  const trailer = text.slice(trailerAt, startxrefAt);
  const size = /\/Size\s+(\d+)/.exec(trailer)?.[1];
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(trailer)?.[1];
  const infoNumber = /\/Info\s+(\d+)\s+0\s+R/.exec(trailer)?.[1];
  const previousXref = /startxref\s+(\d+)/.exec(text.slice(startxrefAt))?.[1];
  if (size === undefined || root === undefined || infoNumber === undefined || previousXref === undefined) {
    throw new Error('PDF trailer without /Size, /Root, /Info or startxref: cannot set its document information');
  }
  // The last definition wins: an earlier incremental update may already have replaced it.
  const object = [...text.matchAll(new RegExp(`(?:^|[\\r\\n])${infoNumber} 0 obj\\s*<<([\\s\\S]*?)>>\\s*endobj`, 'g'))].at(-1);
  if (object === undefined) throw new Error(`PDF information object ${infoNumber} not found`);
  let dictionary = object[1] ?? '';
  const entries: string[] = [];
  if (info.author !== undefined) {
    dictionary = withoutEntry(dictionary, 'Author');
    entries.push(`/Author ${pdfTextString(info.author)}`);
  }
  if (info.subject !== undefined) {
    dictionary = withoutEntry(dictionary, 'Subject');
    entries.push(`/Subject ${pdfTextString(info.subject)}`);
  }
  const head = text.endsWith('\n') ? '' : '\n';
  const objectOffset = pdf.length + head.length;
  const body = `${infoNumber} 0 obj\n<<${dictionary.trim()}\n${entries.join('\n')}>>\nendobj\n`;
  const xrefOffset = objectOffset + Buffer.byteLength(body, 'latin1');
  const update =
    `${head}${body}xref\n${infoNumber} 1\n${String(objectOffset).padStart(10, '0')} 00000 n \n` +
    `trailer\n<</Size ${size}\n/Root ${root}\n/Info ${infoNumber} 0 R\n/Prev ${previousXref}>>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(update, 'latin1')]);
}
