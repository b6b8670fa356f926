import { countPdfPages, PDF_1_4_STRUCTURE_TYPES, pdfStructureTypes, withDocumentInfo, withStandardStructureTypes } from './pdf-document-info';

/** A minimal classic PDF, laid out the way Skia writes them (Info object 1, xref table, trailer). */
function minimalPdf(): Buffer {
  return pdfOf([
    '1 0 obj\n<</Title (Report)\n/Producer (Skia/PDF m156)>>\nendobj\n',
    '2 0 obj\n<</Type /Catalog\n/Pages 3 0 R>>\nendobj\n',
    '3 0 obj\n<</Type /Pages\n/Count 2\n/Kids [4 0 R 5 0 R]>>\nendobj\n',
    '4 0 obj\n<</Type /Page\n/Parent 3 0 R>>\nendobj\n',
    '5 0 obj\n<</Type /Page\n/Parent 3 0 R>>\nendobj\n',
  ]);
}

/** A tagged one-page PDF as Chromium writes it: a structure tree whose elements use `types`. */
function taggedPdf(types: readonly string[]): Buffer {
  const elements = types.map((type, index) => `${7 + index} 0 obj\n<</Type /StructElem\n/S /${type}\n/P 6 0 R\n/Pg 4 0 R\n/K ${index}>>\nendobj\n`);
  const kids = types.map((_, index) => `${7 + index} 0 R`).join(' ');
  return pdfOf([
    '1 0 obj\n<</Title (Report)\n/Producer (Skia/PDF m156)>>\nendobj\n',
    '2 0 obj\n<</Type /Catalog\n/Pages 3 0 R\n/MarkInfo <</Type /MarkInfo\n/Marked true>>\n/StructTreeRoot 5 0 R\n/Lang (fr)>>\nendobj\n',
    '3 0 obj\n<</Type /Pages\n/Count 1\n/Kids [4 0 R]>>\nendobj\n',
    '4 0 obj\n<</Type /Page\n/Parent 3 0 R\n/StructParents 0>>\nendobj\n',
    '5 0 obj\n<</Type /StructTreeRoot\n/K 6 0 R\n/ParentTreeNextKey 1>>\nendobj\n',
    `6 0 obj\n<</Type /StructElem\n/S /Document\n/P 5 0 R\n/K [${kids}]>>\nendobj\n`,
    ...elements,
  ]);
}

function pdfOf(objects: readonly string[]): Buffer {
  let text = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const object of objects) {
    offsets.push(text.length);
    text += object;
  }
  const xref = text.length;
  const size = objects.length + 1;
  text += `xref\n0 ${size}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  text += `trailer\n<</Size ${size}\n/Root 2 0 R\n/Info 1 0 R>>\nstartxref\n${xref}\n%%EOF`;
  return Buffer.from(text, 'latin1');
}

function hex(text: string): string {
  return Buffer.from(`\ufeff${text}`, 'utf16le').swap16().toString('hex').toUpperCase();
}

describe(withDocumentInfo.name, () => {
  it('appends a new Info object and a cross-reference section that points at it, leaving the original bytes intact', () => {
    const original = minimalPdf();
    const updated = withDocumentInfo(original, { author: 'Léa Martin', subject: 'Agence · Client' });
    expect(updated.subarray(0, original.length).equals(original)).toBe(true);
    const tail = updated.subarray(original.length).toString('latin1');

    const objectAt = original.length + 1;
    expect(updated.subarray(objectAt, objectAt + 8).toString('latin1')).toBe('1 0 obj\n');
    expect(tail).toContain(`/Author <${hex('Léa Martin')}>`);
    expect(tail).toContain(`/Subject <${hex('Agence · Client')}>`);
    expect(tail).toContain('/Title (Report)');
    expect(tail).toContain(`xref\n1 1\n${String(objectAt).padStart(10, '0')} 00000 n \n`);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(tail)?.[1]);
    expect(updated.subarray(startxref, startxref + 4).toString('latin1')).toBe('xref');
    expect(tail).toMatch(/trailer\n<<\/Size 6\n\/Root 2 0 R\n\/Info 1 0 R\n\/Prev \d+>>/);
  });

  it('updates the latest Info: replaces its Author and keeps what an earlier update set', () => {
    const once = withDocumentInfo(minimalPdf(), { author: 'First', subject: 'Kept' });
    const twice = withDocumentInfo(once, { author: 'Second' });
    const last = twice.subarray(once.length).toString('latin1');
    expect(last).toContain(`/Author <${hex('Second')}>`);
    expect(last).not.toContain(hex('First'));
    expect(last).toContain(`/Subject <${hex('Kept')}>`);
  });

  it('refuses a PDF without a classic trailer', () => {
    expect(() => withDocumentInfo(Buffer.from('%PDF-1.7\n%%EOF'), { author: 'x' })).toThrow('classic trailer');
  });
});

describe(countPdfPages.name, () => {
  it('counts page objects, not the page tree', () => {
    expect(countPdfPages(minimalPdf())).toBe(2);
  });
});

describe(withStandardStructureTypes.name, () => {
  it('maps the PDF 2.0 types Chromium writes (Strong, Em) to Span in a role map, by an incremental update of the structure tree root', () => {
    const original = taggedPdf(['H1', 'P', 'Strong', 'Em', 'Figure']);
    const updated = withStandardStructureTypes(original);
    expect(updated.subarray(0, original.length).equals(original)).toBe(true);
    const tail = updated.subarray(original.length).toString('latin1');
    expect(tail).toContain('5 0 obj\n<</Type /StructTreeRoot\n/K 6 0 R\n/ParentTreeNextKey 1\n/RoleMap <</Em /Span /Strong /Span>>>>\nendobj\n');
    expect(tail).toMatch(/xref\n5 1\n\d{10} 00000 n \ntrailer\n<<\/Size 12\n\/Root 2 0 R\n\/Info 1 0 R\n\/Prev \d+>>/);
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(tail)?.[1]);
    expect(updated.subarray(startxref, startxref + 4).toString('latin1')).toBe('xref');
    // Document information set afterwards survives the chain of updates.
    expect(withDocumentInfo(updated, { author: 'Léa' }).subarray(updated.length).toString('latin1')).toContain('/Info 1 0 R');
  });

  it('maps a type unknown to PDF 1.4 to NonStruct and leaves an untagged file or one of standard types as it is', () => {
    expect(withStandardStructureTypes(taggedPdf(['P', 'Marquee'])).toString('latin1')).toContain('/RoleMap <</Marquee /NonStruct>>');
    const standard = taggedPdf(['Document', 'H1', 'Table', 'TR', 'TH', 'TD', 'Figure', 'Caption', 'Art', 'NonStruct']);
    expect(withStandardStructureTypes(standard)).toBe(standard);
    const untagged = minimalPdf();
    expect(withStandardStructureTypes(untagged)).toBe(untagged);
  });

  it('reads the structure types a file uses', () => {
    expect([...pdfStructureTypes(taggedPdf(['H1', 'Strong']))].sort()).toEqual(['Document', 'H1', 'Strong']);
    expect(PDF_1_4_STRUCTURE_TYPES.has('Strong')).toBe(false);
    expect(PDF_1_4_STRUCTURE_TYPES.has('Span')).toBe(true);
  });
});
