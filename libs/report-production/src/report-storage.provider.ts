import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { LocalReportStorage, type ReportStorage } from '@pilotage/reporting';

/** Injection token of the {@link ReportStorage} holding the rendered PDFs. */
export const REPORT_STORAGE = Symbol('REPORT_STORAGE');

/** Local disk under `STORAGE_DIR` today; an object store would be another provider here. */
export const reportStorageProvider: Provider<ReportStorage> = {
  provide: REPORT_STORAGE,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => new LocalReportStorage(config.storageDir),
};

/**
 * Where a report's PDF lives: one key per report row (a version), so a retried render
 * overwrites its own file and never leaves a duplicate. The agency leads the key, which the
 * download route relies on to find the tenant.
 */
export function reportStorageKey(report: { readonly agencyId: string; readonly clientId: string; readonly id: string }): string {
  return `${report.agencyId}/${report.clientId}/${report.id}.pdf`;
}

/** The inverse of {@link reportStorageKey}; null for anything else. */
export function parseReportStorageKey(key: string): { agencyId: string; clientId: string; reportId: string } | null {
  const match = /^([0-9a-f-]{36})\/([0-9a-f-]{36})\/([0-9a-f-]{36})\.pdf$/.exec(key);
  if (match === null) return null;
  const [, agencyId, clientId, reportId] = match;
  return agencyId === undefined || clientId === undefined || reportId === undefined ? null : { agencyId, clientId, reportId };
}
