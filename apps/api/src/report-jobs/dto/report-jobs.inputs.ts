import { Field, ID, InputType } from '@nestjs/graphql';
import { IsIn, IsString, IsUUID, Matches } from 'class-validator';
import { REPORT_KINDS, type ReportKind } from '@pilotage/database';
import { ReportKindEnum } from '../../reports/report.model';

@InputType({ description: 'Which report to generate: the client’s report of one period, rendered by the worker.' })
export class GenerateReportInput {
  @Field(() => ID, { description: 'Client id.' })
  @IsUUID()
  clientId!: string;

  @Field(() => ReportKindEnum, { description: 'MONTHLY or WEEKLY report.', defaultValue: 'MONTHLY' })
  @IsIn(REPORT_KINDS)
  kind: ReportKind = 'MONTHLY';

  @Field({ description: 'First day of the period, YYYY-MM-DD: the 1st of a month (MONTHLY) or a Monday (WEEKLY).' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'periodStart must be a date as YYYY-MM-DD' })
  periodStart!: string;
}

@InputType({ description: 'The month whose reports to generate for every active client.' })
export class GenerateMonthlyReportsInput {
  @Field({ description: 'Month as YYYY-MM (e.g. 2026-10).' })
  @IsString()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be a month as YYYY-MM (e.g. 2026-10)' })
  month!: string;
}
