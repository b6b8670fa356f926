import { Transform, pipeline, type TransformCallback } from 'node:stream';
import { Controller, Param, PayloadTooLargeException, Post, Query, Req, Res, UnsupportedMediaTypeException, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { MetricImportService } from '@pilotage/ingestion';
import { AgencyStaff, ApiKeyAccess } from '../auth/auth.guard';
import { AppErrorHttpFilter } from '../common/http-error.filter';
import { MetricCsvImportQuery } from './dto/metric-value.inputs';

/** Bound on an uploaded file: 1M values in a long CSV is about 50 MB. */
export const MAX_CSV_BYTES = 200 * 1024 * 1024;
const CSV_MEDIA_TYPES = ['text/csv', 'text/plain', 'text/tab-separated-values', 'application/vnd.ms-excel', 'application/octet-stream'];

class CsvTooLargeError extends Error {
  constructor() {
    super(`The file is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB`);
  }
}

/** Passes the body through and fails the stream once it exceeds `limit` bytes. */
class ByteLimit extends Transform {
  private seen = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) callback(new CsvTooLargeError());
    else callback(null, chunk);
  }
}

/**
 * CSV import of metric values, as a plain HTTP route because GraphQL is no place for a 50 MB
 * upload. The raw file is the request body (`Content-Type: text/csv`): Nest's body parsers only
 * take JSON and url-encoded bodies, so the request stays an unread stream that goes straight to
 * the parser, with backpressure, and is never buffered whole. The tenant context comes from the
 * Bearer token (a user's, or an API key with METRICS_WRITE) through the same middleware as GraphQL.
 *
 * The file is our own layout (date, metric, value) or a platform export recognised from its
 * header (Google Ads, Meta Ads, GA4, Search Console, Shopify, Stripe, Mailchimp, Brevo), or read
 * with `?preset=` or a saved `?mapping=`; the report then says what was mapped and ignored.
 *
 * 200 with the report when the file is clean; 422 with the same report (every error located by
 * line and column) when it is not, in which case nothing was written.
 */
@Controller('clients/:clientId/metric-imports')
@UseFilters(AppErrorHttpFilter)
export class MetricImportsController {
  constructor(private readonly metricImports: MetricImportService) {}

  @AgencyStaff()
  @ApiKeyAccess('METRICS_WRITE')
  @Post()
  async importCsv(@Param('clientId') clientId: string, @Query() query: MetricCsvImportQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!req.is(CSV_MEDIA_TYPES)) {
      throw new UnsupportedMediaTypeException(`Send the CSV file as the request body with Content-Type: text/csv`);
    }
    const declaredLength = Number(req.headers['content-length'] ?? '0');
    if (declaredLength > MAX_CSV_BYTES) throw new PayloadTooLargeException(new CsvTooLargeError().message);

    const body = new ByteLimit(MAX_CSV_BYTES);
    // pipeline (not pipe): a client that aborts the upload fails the parser instead of hanging it.
    pipeline(req, body, () => undefined);
    try {
      const report = await this.metricImports.importCsv(clientId, body, {
        dryRun: query.dryRun ?? false,
        delimiter: query.delimiter,
        decimal: query.decimal,
        dateFormat: query.dateFormat,
        format: query.format,
        source: query.source,
        channel: query.channel,
        campaign: query.campaign,
        granularity: query.granularity,
        fileName: query.fileName,
        preset: query.preset,
        mappingId: query.mapping,
      });
      res.status(report.errorCount > 0 ? 422 : 200).json(report);
    } catch (error) {
      if (error instanceof CsvTooLargeError) throw new PayloadTooLargeException(error.message);
      throw error;
    } finally {
      body.destroy();
    }
  }
}
