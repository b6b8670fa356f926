import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AgencyStaff } from '../auth/auth.guard';
import { toReportModel } from '../reports/report.mapper';
import { Report } from '../reports/report.model';
import { GenerateMonthlyReportsInput, GenerateReportInput } from './dto/report-jobs.inputs';
import { ReportBatch } from './report-batch.model';
import { ReportJobsService } from '@pilotage/report-production';

@Resolver(() => ReportBatch)
export class ReportJobsResolver {
  constructor(private readonly jobs: ReportJobsService) {}

  @AgencyStaff()
  @Mutation(() => Report, {
    description:
      'Queues the render of a client’s report for a period and returns it (QUEUED). While a report of that client, kind and period is queued or rendering, returns that one instead of a new version.',
  })
  async generateReport(@Args('input') input: GenerateReportInput): Promise<Report> {
    return toReportModel(await this.jobs.generateReport(input));
  }

  @AgencyStaff()
  @Mutation(() => ReportBatch, {
    description:
      'Queues the month’s MONTHLY report of every active client as one batch. While a batch of that month is running, returns it instead of starting another.',
  })
  generateMonthlyReports(@Args('input') input: GenerateMonthlyReportsInput): Promise<ReportBatch> {
    return this.jobs.generateMonthlyReports(input.month);
  }

  @AgencyStaff()
  @Query(() => ReportBatch, { description: 'A report batch and its progress; NOT_FOUND when it does not exist or is not yours.' })
  reportBatch(@Args('id', { type: () => ID, description: 'Batch id.' }) id: string): Promise<ReportBatch> {
    return this.jobs.batch(id);
  }
}
