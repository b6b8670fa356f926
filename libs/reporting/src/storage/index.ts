export type { ReportStorage, StoredReport } from './report-storage';
export { ReportStorageError, REPORT_STORAGE_ERROR_CODES, type ReportStorageErrorCode } from './report-storage.error';
export { assertReportKey } from './report-key';
export { LocalReportStorage } from './local-report.storage';
export {
  createSignedDownloadToken,
  verifySignedDownloadToken,
  DownloadTokenError,
  DOWNLOAD_TOKEN_ERROR_CODES,
  type DownloadTokenErrorCode,
  type SignedDownloadClaims,
} from './signed-download-token';
