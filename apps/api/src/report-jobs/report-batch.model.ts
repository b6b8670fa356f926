import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { enumObject } from '../common/graphql-enums';
import { REPORT_BATCH_STATUSES, type ReportBatchStatus } from '@pilotage/report-production';

export const ReportBatchStatusEnum = enumObject<ReportBatchStatus>(REPORT_BATCH_STATUSES);
registerEnumType(ReportBatchStatusEnum, {
  name: 'ReportBatchStatus',
  description:
    'RUNNING while a report is queued, rendering or failed with a retry to come; COMPLETED when every report is rendered; COMPLETED_WITH_FAILURES when some failed after their last retry.',
});

@ObjectType({ description: 'A request to generate one period’s monthly report for every active client, with its progress counted from the reports.' })
export class ReportBatch {
  @Field(() => ID, { description: 'Batch id.' })
  id!: string;

  @Field({ description: 'Month of the reports: its first day (YYYY-MM-DD).' })
  periodStart!: string;

  @Field(() => Int, { description: 'Reports the batch requested (the active clients when it started).' })
  total!: number;

  @Field(() => Int, { description: 'Reports rendered (READY, or since approved or sent).' })
  done!: number;

  @Field(() => Int, { description: 'Reports that failed after their last retry.' })
  failed!: number;

  @Field(() => Int, { description: 'Reports queued, rendering, or failed with a retry to come.' })
  pending!: number;

  @Field(() => ReportBatchStatusEnum, { description: 'Where the batch stands.' })
  status!: ReportBatchStatus;

  @Field({ description: 'When the batch was requested.' })
  createdAt!: Date;
}
