import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { assertReportKey } from './report-key';
import type { ReportStorage, StoredReport } from './report-storage';
import { ReportStorageError } from './report-storage.error';

// Structural, not `instanceof Error`: errors from node:fs may come from another realm (Jest's vm).
function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}

function sha256Of(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** PDF storage on a local (or mounted) file system under `rootDir`. */
export class LocalReportStorage implements ReportStorage {
  private readonly root: string;

  constructor(rootDir: string) {
    if (!isAbsolute(rootDir)) throw new Error(`LocalReportStorage needs an absolute root directory, got "${rootDir}"`);
    this.root = resolve(rootDir);
  }

  async put(key: string, data: Buffer): Promise<StoredReport> {
    const path = this.pathOf(key);
    const directory = dirname(path);
    await mkdir(directory, { recursive: true });
    // Same directory as the target so that rename() stays on one file system and is atomic.
    const temporary = join(directory, `.${basename(path)}.${randomUUID()}.tmp`);
    const handle = await open(temporary, 'wx', 0o640);
    try {
      await handle.writeFile(data);
      // Without fsync a crash after rename could leave a complete name on incomplete bytes.
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    await handle.close();
    try {
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    await this.syncDirectory(directory);
    return { key, size: data.length, sha256: sha256Of(data) };
  }

  async get(key: string): Promise<Buffer> {
    const path = this.pathOf(key);
    try {
      return await readFile(path);
    } catch (error) {
      throw this.mapNotFound(error, key);
    }
  }

  stream(key: string): Readable {
    const path = this.pathOf(key);
    return Readable.from(this.chunks(path, key), { objectMode: false });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async verify(key: string, sha256: string): Promise<boolean> {
    const expected = Buffer.from(sha256.toLowerCase(), 'hex');
    const actual = createHash('sha256').update(await this.get(key)).digest();
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  /** The file a key is stored in, under the root (containment re-checked after resolution). */
  pathOf(key: string): string {
    assertReportKey(key);
    const path = resolve(this.root, ...key.split('/'));
    if (!path.startsWith(this.root + sep)) {
      throw new ReportStorageError('INVALID_KEY', key, 'Invalid report storage key: resolves outside the storage root');
    }
    return path;
  }

  private async *chunks(path: string, key: string): AsyncGenerator<Buffer> {
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      throw this.mapNotFound(error, key);
    }
    // The read stream closes the handle when it ends or is destroyed by an early return.
    for await (const chunk of handle.createReadStream()) {
      if (Buffer.isBuffer(chunk)) yield chunk;
    }
  }

  private mapNotFound(error: unknown, key: string): unknown {
    return isNotFound(error) ? new ReportStorageError('NOT_FOUND', key, `No stored report under "${key}"`) : error;
  }

  /** Makes the rename itself durable; some file systems refuse fsync on a directory. */
  private async syncDirectory(directory: string): Promise<void> {
    const handle = await open(directory, 'r').catch(() => null);
    if (handle === null) return;
    try {
      await handle.sync();
    } catch {
      // EINVAL/EISDIR on file systems without directory fsync: the rename is still atomic.
    } finally {
      await handle.close();
    }
  }
}
