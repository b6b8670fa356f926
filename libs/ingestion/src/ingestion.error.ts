export const INGESTION_ERROR_CODES = ['INVALID_OPTIONS'] as const;
export type IngestionErrorCode = (typeof INGESTION_ERROR_CODES)[number];

/**
 * A misuse of the ingestion API by the calling code (bad options or context). Problems in the
 * file itself are never thrown: they are reported as located `MetricCsvError`s.
 */
export class IngestionError extends Error {
  override readonly name = 'IngestionError';

  constructor(
    readonly code: IngestionErrorCode,
    message: string,
  ) {
    super(message);
  }
}
