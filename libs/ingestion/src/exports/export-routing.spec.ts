import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { routeUpload } from './export-routing';

function chunked(bytes: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

describe(routeUpload.name, () => {
  it('gives our own layout back to the streaming parser byte for byte, past the part it looked at', async () => {
    const lines = ['date;metric;value'];
    for (let day = 0; day < 20_000; day++) lines.push(`2026-10-01;sessions_${day};${day},5`);
    const file = Buffer.from(lines.join('\n'), 'utf8');
    const routed = await routeUpload(chunked(file, 4096), null);

    expect(routed.kind).toBe('OWN_LAYOUT');
    if (routed.kind !== 'OWN_LAYOUT') return;
    expect((await drain(routed.body)).equals(file)).toBe(true);
  });

  it('recognises a GA4 export fed in small chunks and reads it whole', async () => {
    const file = readFileSync(join(__dirname, '../../../../test/fixtures/exports/ga4-en.csv'));
    const routed = await routeUpload(chunked(file, 7), null);

    expect(routed).toEqual({ kind: 'EXPORT', bytes: file });
  });

  it('leaves a file with declared conventions of our own layout alone, and reads a forced export whole', async () => {
    const own = Readable.from([Buffer.from('Campaign,Cost,Clicks,Impr.\n')]);
    expect(await routeUpload(own, false)).toEqual({ kind: 'OWN_LAYOUT', body: own });
    expect(await routeUpload(Readable.from([Buffer.from('a,'), Buffer.from('b\n')]), true)).toEqual({ kind: 'EXPORT', bytes: Buffer.from('a,b\n') });
  });
});
