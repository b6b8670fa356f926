import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { REPORT_KINDS, REPORT_STATUSES, type ReportKind, type ReportStatus } from '@pilotage/database';
import { enumObject } from '../common/graphql-enums';
import { Connection } from '../common/pagination';
import { TargetStatus } from '../analytics/analytics.models';

export const ReportKindEnum = enumObject<ReportKind>(REPORT_KINDS);
registerEnumType(ReportKindEnum, {
  name: 'ReportKind',
  description: 'MONTHLY: the business report of a month. WEEKLY: the operational report of an ISO week.',
});

export const ReportStatusEnum = enumObject<ReportStatus>(REPORT_STATUSES);
registerEnumType(ReportStatusEnum, {
  name: 'ReportStatus',
  description:
    'QUEUED → RENDERING → READY or FAILED (retried); READY → APPROVED by the agency → SENT to the client. ' +
    'Client viewers only ever see APPROVED and SENT reports.',
});

@ObjectType({ description: 'The project manager’s commentary on one KPI of a report.' })
export class ReportKpiCommentary {
  @Field({ description: 'KPI key.' })
  kpiKey!: string;

  @Field({ description: 'Plain text; paragraphs, line breaks and **bold** only. Always printed escaped.' })
  text!: string;
}

@ObjectType({
  description:
    'A KPI figure of a READY, APPROVED or SENT report that later values changed beyond the threshold (relative for volumes, points for rates) or whose status flipped.',
})
export class ReportRestatement {
  @Field(() => ID, { description: 'Restatement id.' })
  id!: string;

  @Field({ description: 'KPI key.' })
  kpiKey!: string;

  @Field({ description: 'The KPI’s name, as the report printed it.' })
  kpiName!: string;

  @Field(() => Float, { nullable: true, description: 'The value the report printed (null: none).' })
  oldValue!: number | null;

  @Field(() => Float, { nullable: true, description: 'The value current data gives (null: none any more).' })
  newValue!: number | null;

  @Field(() => TargetStatus, { nullable: true, description: 'The status the report printed.' })
  oldStatus!: TargetStatus | null;

  @Field(() => TargetStatus, { nullable: true, description: 'The status current data gives.' })
  newStatus!: TargetStatus | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The import or sync chunk (metric import id) that last wrote the KPI’s values in the period; null when unknown.',
  })
  importId!: string | null;

  @Field({ description: 'When the change was found.' })
  detectedAt!: Date;
}

@ObjectType({ description: 'One version of a client’s report for one period, and its PDF once rendered.' })
export class Report {
  @Field(() => ID, { description: 'Report id.' })
  id!: string;

  @Field(() => ID, { description: 'Client id.' })
  clientId!: string;

  @Field(() => ReportKindEnum, { description: 'Monthly business report or weekly operational report.' })
  kind!: ReportKind;

  @Field({ description: 'First day of the period (YYYY-MM-DD, client time zone).' })
  periodStart!: string;

  @Field({ description: 'Last day of the period, included.' })
  periodEnd!: string;

  @Field(() => Int, { description: 'Version of the report for this client, kind and period: 1, 2, …' })
  version!: number;

  @Field(() => ReportStatusEnum, { description: 'Where the report is in its life cycle.' })
  status!: ReportStatus;

  @Field(() => ID, { nullable: true, description: 'The generation batch that requested it, if any.' })
  batchId!: string | null;

  @Field(() => Int, { nullable: true, description: 'Pages of the PDF, once rendered.' })
  pageCount!: number | null;

  @Field(() => Int, { nullable: true, description: 'Size of the PDF in bytes, once rendered.' })
  byteSize!: number | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 (hex) of the stored PDF, once rendered.' })
  checksum!: string | null;

  @Field(() => Int, { description: 'Renders started, retries included.' })
  attempts!: number;

  @Field(() => String, { nullable: true, description: 'Why the last render failed (FAILED reports).' })
  error!: string | null;

  @Field(() => String, { nullable: true, description: 'The project manager’s analysis: paragraphs, line breaks and **bold** only.' })
  commentary!: string | null;

  @Field(() => [ReportKpiCommentary], { description: 'Commentary per KPI.' })
  kpiCommentary!: ReportKpiCommentary[];

  @Field(() => [String], {
    nullable: true,
    description: 'The narrative as edited by the manager; null when the report prints the one drafted from the numbers (see draftedNarrative).',
  })
  narrative!: string[] | null;

  @Field(() => ID, { nullable: true, description: 'User who requested the report; null for scheduled reports.' })
  requestedBy!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the PDF was last rendered.' })
  renderedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the agency approved it.' })
  approvedAt!: Date | null;

  @Field(() => [String], {
    description:
      'KPI keys whose data was still incomplete when the readiness gate generated this scheduled report at its cap date (REPORT_READINESS_CAP_DAYS); the PDF carries a warning. Empty when the data was complete.',
  })
  incompleteKpiKeys!: string[];

  @Field(() => Date, { nullable: true, description: 'When it was e-mailed to the client.' })
  sentAt!: Date | null;

  @Field({ description: 'Creation time.' })
  createdAt!: Date;

  @Field({ description: 'Last change.' })
  updatedAt!: Date;
}

@ObjectType({ description: 'A page of reports, newest first.' })
export class ReportConnection extends Connection(Report, 'Report') {}

@ObjectType({ description: 'A report rendered from the current figures without being saved, for a look before generating it.' })
export class ReportPreview {
  @Field({ description: 'The report’s HTML (self-contained: styles, fonts, charts and images inline).' })
  html!: string;

  @Field({ description: 'PNG of the top of the first page, base64-encoded.' })
  pngBase64!: string;
}

@ObjectType({ description: 'A short-lived link to download a report’s PDF.' })
export class ReportDownloadUrl {
  @Field({ description: 'Absolute URL; anyone holding it can download the PDF until it expires.' })
  url!: string;

  @Field({ description: 'When the link stops working.' })
  expiresAt!: Date;
}
