export const REPORT_STORAGE_ERROR_CODES = ['INVALID_KEY', 'NOT_FOUND'] as const;
export type ReportStorageErrorCode = (typeof REPORT_STORAGE_ERROR_CODES)[number];

/** A storage key that is unsafe or names nothing. I/O failures keep their own errors. */
export class ReportStorageError extends Error {
  override readonly name = 'ReportStorageError';

  constructor(
    readonly code: ReportStorageErrorCode,
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}
