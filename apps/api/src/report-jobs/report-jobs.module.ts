import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module';
import { ReportJobsResolver } from './report-jobs.resolver';

/** The GraphQL mutations and queries that queue report renders (see @pilotage/report-production). */
@Module({
  imports: [ReportsModule],
  providers: [ReportJobsResolver],
})
export class ReportJobsModule {}
