import { Module } from '@nestjs/common';
import { ReportProductionModule } from '@pilotage/report-production';
import { ClientsModule } from '../clients/clients.module';
import { ReportDownloadController } from './report-download.controller';
import { ReportDownloadService } from './report-download.service';
import { ReportsResolver } from './reports.resolver';

/**
 * Reports in the API: read, preview, edit, approve, send and download, over the report
 * production library (which also queues and renders them).
 */
@Module({
  imports: [ClientsModule, ReportProductionModule.forApi()],
  controllers: [ReportDownloadController],
  providers: [ReportDownloadService, ReportsResolver],
  exports: [ReportProductionModule],
})
export class ReportsModule {}
