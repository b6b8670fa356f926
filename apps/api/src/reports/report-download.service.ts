import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { assertClientNotArchived, ClientEntity, currentTenant, ReportEntity, runWithTenant, systemContext, TenantDatabase } from '@pilotage/database';
import { createSignedDownloadToken, DownloadTokenError, verifySignedDownloadToken, type ReportStorage } from '@pilotage/reporting';
import { ConflictError, ForbiddenError, NotFoundError } from '@pilotage/common';
import { parseReportStorageKey, RENDERED_STATUSES, REPORT_STORAGE, reportFileName, ReportsService } from '@pilotage/report-production';

/** Long enough to click, short enough that a forwarded link soon stops working (it cannot be revoked). */
export const DOWNLOAD_URL_TTL_SECONDS = 5 * 60;

export interface ReportDownload {
  readonly stream: Readable;
  readonly fileName: string;
  readonly byteSize: number | null;
}

/**
 * Downloads through signed links: the API checks who may read the report and hands out a
 * short-lived token naming its stored PDF; the download route trusts only that signature and
 * re-checks in the database, under the agency the key names, that the report still exists in
 * a rendered state (a deleted or re-rendered report's link stops working).
 */
@Injectable()
export class ReportDownloadService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TenantDatabase,
    private readonly reports: ReportsService,
    @Inject(REPORT_STORAGE) private readonly storage: ReportStorage,
  ) {}

  async createUrl(reportId: string, now = new Date()): Promise<{ url: string; expiresAt: Date }> {
    const report = await this.db.run((manager) => this.reports.findVisible(manager, reportId));
    if (report.storageKey === null || report.checksum === null || !RENDERED_STATUSES.includes(report.status)) {
      throw new ConflictError(`Report ${report.id} is ${report.status}: it has no PDF to download yet`, { status: report.status });
    }
    // The download route would refuse the link: say why now rather than hand out a dead link.
    await this.db.run(async (manager) =>
      assertClientNotArchived(await manager.findOneByOrFail(ClientEntity, { agencyId: report.agencyId, id: report.clientId })),
    );
    // Milliseconds dropped: the expiry is shown to users and compared by the token in whole ms anyway.
    const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + DOWNLOAD_URL_TTL_SECONDS * 1000);
    const token = createSignedDownloadToken({ key: report.storageKey, expiresAt, secret: this.config.downloadUrlSecret, checksum: report.checksum });
    return { url: `${this.config.publicUrl.replace(/\/+$/, '')}/reports/download/${token}`, expiresAt };
  }

  /**
   * Opens the PDF a token names; NOT_FOUND for a forged token, a report gone, a client archived
   * or a link to an earlier rendering (re-rendered since), FORBIDDEN once expired.
   */
  async open(token: string, now = new Date()): Promise<ReportDownload> {
    let key: string;
    let checksum: string | undefined;
    try {
      ({ key, checksum } = verifySignedDownloadToken(token, this.config.downloadUrlSecret, now));
    } catch (error) {
      if (error instanceof DownloadTokenError && error.code === 'EXPIRED') throw new ForbiddenError('The download link has expired; ask for a new one');
      if (error instanceof DownloadTokenError) throw new NotFoundError('Report download', 'link');
      throw error;
    }
    const target = parseReportStorageKey(key);
    if (target === null) throw new NotFoundError('Report download', 'link');
    const found = await runWithTenant(systemContext(target.agencyId), () =>
      this.db.run(async (manager) => {
        const report = await manager.findOneBy(ReportEntity, { agencyId: currentTenant().agencyId, id: target.reportId, storageKey: key });
        if (report === null || !RENDERED_STATUSES.includes(report.status)) return null;
        const client = await manager.findOneByOrFail(ClientEntity, { agencyId: report.agencyId, id: report.clientId });
        if (client.archivedAt !== null) return null;
        return { report, client };
      }),
    );
    if (found !== null && found.report.checksum !== checksum) {
      throw new NotFoundError(
        'Report download',
        'link',
        'This link is for an earlier rendering of the report, which was rendered again since; ask for a new link',
      );
    }
    // Checked before any byte is sent: once the 200 headers are out, a missing file can only cut the body.
    if (found === null || !(await this.storage.exists(key))) throw new NotFoundError('Report download', 'link');
    const { report, client } = found;
    return {
      stream: this.storage.stream(key),
      fileName: reportFileName(report, client.name, client.locale),
      byteSize: report.byteSize,
    };
  }
}
