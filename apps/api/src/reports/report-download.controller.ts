import { pipeline } from 'node:stream';
import { Controller, Get, Logger, Param, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/auth.guard';
import { AppErrorHttpFilter } from '../common/http-error.filter';
import { ReportDownloadService } from './report-download.service';

/** RFC 6266 / 8187: an ASCII fallback name and the exact UTF-8 one. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * `GET /reports/download/:token`: the PDF behind a signed link. Public on purpose — the
 * token is the credential (a mail client or a browser tab opens it without our bearer token).
 */
@Controller('reports/download')
@UseFilters(AppErrorHttpFilter)
export class ReportDownloadController {
  private readonly logger = new Logger(ReportDownloadController.name);

  constructor(private readonly downloads: ReportDownloadService) {}

  @Public()
  @Get(':token')
  async download(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const download = await this.downloads.open(token);
    res.status(200);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', contentDisposition(download.fileName));
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (download.byteSize !== null) res.setHeader('Content-Length', String(download.byteSize));
    pipeline(download.stream, res, (error) => {
      // Headers are gone by now: a failure mid-stream can only cut the response short.
      if (error) this.logger.error(`Report download failed mid-stream: ${error.message}`);
    });
  }
}
