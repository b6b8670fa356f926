import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { ClientsModule } from '../clients/clients.module';
import { ReportRendererService } from './report-renderer.service';
import { ReportSnapshotAssembler } from './report-snapshot.assembler';
import { reportStorageProvider, REPORT_STORAGE } from './report-storage.provider';
import { ReportsService } from './reports.service';

/**
 * Reports: request, render (also used by the worker's jobs), read, edit, approve, send and
 * download. Exports what the job handlers need.
 */
@Module({
  imports: [ClientsModule, AnalyticsModule],
  providers: [ReportsService, ReportRendererService, ReportSnapshotAssembler, reportStorageProvider],
  exports: [ReportsService, ReportRendererService, REPORT_STORAGE],
})
export class ReportsModule {}
