import type { Readable } from 'node:stream';

/** What was stored: the checksum is kept with the report to detect corruption later. */
export interface StoredReport {
  readonly key: string;
  readonly size: number;
  /** Lower-case hex SHA-256 of the bytes. */
  readonly sha256: string;
}

/**
 * Where rendered report PDFs live. Keys are relative, `/`-separated paths
 * (`<agencyId>/<clientId>/2026-10.pdf`); implementations refuse keys that could escape
 * their root. Local disk today; an object store can implement the same contract.
 */
export interface ReportStorage {
  /** Stores atomically: readers see the old bytes or the new ones, never a partial file. */
  put(key: string, data: Buffer): Promise<StoredReport>;
  get(key: string): Promise<Buffer>;
  /** Streams the bytes without holding them; a missing key fails the stream with NOT_FOUND. */
  stream(key: string): Readable;
  exists(key: string): Promise<boolean>;
  /** Deleting a missing key is not an error: deletion is idempotent, like the jobs calling it. */
  delete(key: string): Promise<void>;
  /** True when the stored bytes still hash to `sha256`. */
  verify(key: string, sha256: string): Promise<boolean>;
}
