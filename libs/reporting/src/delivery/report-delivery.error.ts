export const REPORT_DELIVERY_ERROR_CODES = [
  /** No recipient, or one that is not an e-mail address. Nothing was sent. */
  'INVALID_RECIPIENTS',
  /** The SMTP settings cannot work (sender address, port). */
  'INVALID_SETTINGS',
  /** The server refused every recipient. */
  'RECIPIENTS_REJECTED',
  /** Connection, authentication or protocol failure: worth a retry with backoff. */
  'TRANSPORT_FAILED',
] as const;
export type ReportDeliveryErrorCode = (typeof REPORT_DELIVERY_ERROR_CODES)[number];

export class ReportDeliveryError extends Error {
  override readonly name = 'ReportDeliveryError';

  constructor(
    readonly code: ReportDeliveryErrorCode,
    message: string,
    /** The addresses concerned (invalid or rejected), when there are some. */
    readonly addresses: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
