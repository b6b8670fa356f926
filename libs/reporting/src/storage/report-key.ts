import { ReportStorageError } from './report-storage.error';

const MAX_KEY_LENGTH = 512;

/**
 * Checks that a key is a plain relative path: `/`-separated segments, none empty, `.` or
 * `..`, no backslash (a separator on Windows, and never needed in our keys), no NUL (which
 * truncates paths in system calls) nor other control characters. Checked on the text, before
 * any path resolution, so that a key means the same thing on every storage backend.
 */
export function assertReportKey(key: string): void {
  const refuse = (reason: string): never => {
    throw new ReportStorageError('INVALID_KEY', key, `Invalid report storage key: ${reason}`);
  };
  if (key.length === 0) refuse('empty');
  if (key.length > MAX_KEY_LENGTH) refuse(`longer than ${MAX_KEY_LENGTH} characters`);
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) refuse('control character');
    if (code === 0x5c) refuse('backslash');
  }
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) refuse('absolute path');
  for (const segment of key.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') refuse(`segment "${segment}" is not allowed`);
  }
}
