import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { ClientsModule } from '../clients/clients.module';
import { ReportDeliveryService } from './report-delivery.service';
import { ReportDownloadController } from './report-download.controller';
import { ReportDownloadService } from './report-download.service';
import { ReportRendererService } from './report-renderer.service';
import { ReportSnapshotAssembler } from './report-snapshot.assembler';
import { reportStorageProvider, REPORT_STORAGE } from './report-storage.provider';
import { ReportsResolver } from './reports.resolver';
import { ReportsService } from './reports.service';

/**
 * Reports: request, render (also used by the worker's jobs), read, edit, approve, send and
 * download. Exports what the job handlers need.
 */
@Module({
  imports: [ClientsModule, AnalyticsModule],
  controllers: [ReportDownloadController],
  providers: [
    ReportsService,
    ReportRendererService,
    ReportSnapshotAssembler,
    ReportDeliveryService,
    ReportDownloadService,
    ReportsResolver,
    reportStorageProvider,
  ],
  exports: [ReportsService, ReportRendererService, REPORT_STORAGE],
})
export class ReportsModule {}
