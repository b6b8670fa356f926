import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalReportStorage } from './local-report.storage';
import { ReportStorageError } from './report-storage.error';

const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200_000, 7), Buffer.from('\n%%EOF\n')]);

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe(LocalReportStorage.name, () => {
  let root: string;
  let storage: LocalReportStorage;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pilotage-reports-'));
    storage = new LocalReportStorage(root);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores and reads back the bytes, creating directories, with their SHA-256', async () => {
    const stored = await storage.put('agency-1/client-2/2026-10.pdf', pdf);

    expect(stored).toEqual({
      key: 'agency-1/client-2/2026-10.pdf',
      size: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
    });
    expect((await storage.get('agency-1/client-2/2026-10.pdf')).equals(pdf)).toBe(true);
    expect((await collect(storage.stream('agency-1/client-2/2026-10.pdf'))).equals(pdf)).toBe(true);
    expect(await storage.exists('agency-1/client-2/2026-10.pdf')).toBe(true);
  });

  it('verifies the checksum of what is on disk', async () => {
    const stored = await storage.put('a/report.pdf', pdf);

    expect(await storage.verify('a/report.pdf', stored.sha256)).toBe(true);
    await writeFile(join(root, 'a', 'report.pdf'), Buffer.from('tampered'));
    expect(await storage.verify('a/report.pdf', stored.sha256)).toBe(false);
  });

  it('replaces a report atomically and leaves no temporary file', async () => {
    await storage.put('a/report.pdf', Buffer.from('first'));
    await storage.put('a/report.pdf', pdf);

    expect(await readdir(join(root, 'a'))).toEqual(['report.pdf']);
    expect((await storage.get('a/report.pdf')).equals(pdf)).toBe(true);
  });

  it.each(['../escape.pdf', 'a/../../escape.pdf', '/etc/passwd', 'a/./b.pdf', 'a//b.pdf', 'a\\..\\b.pdf', 'a\u0000.pdf', 'C:/x.pdf', ''])(
    'refuses the key %j with a typed error',
    async (key) => {
      await expect(storage.put(key, pdf)).rejects.toMatchObject({ name: 'ReportStorageError', code: 'INVALID_KEY' });
      await expect(storage.get(key)).rejects.toBeInstanceOf(ReportStorageError);
      expect(() => storage.stream(key)).toThrow(ReportStorageError);
    },
  );

  it('reports a missing report as NOT_FOUND and deletes idempotently', async () => {
    await storage.put('a/report.pdf', pdf);
    await storage.delete('a/report.pdf');
    await storage.delete('a/report.pdf');

    expect(await storage.exists('a/report.pdf')).toBe(false);
    await expect(storage.get('a/report.pdf')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(collect(storage.stream('a/report.pdf'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
