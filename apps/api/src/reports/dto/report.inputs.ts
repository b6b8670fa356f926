import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { REPORT_KINDS, REPORT_STATUSES, type ReportKind, type ReportStatus } from '@pilotage/database';
import { PageArgs } from '../../common/pagination';
import { IsPlainText } from '../../common/validators';
import { ReportKindEnum, ReportStatusEnum } from '../report.model';

/** Long enough for a page of analysis, short enough that a paste of a whole document is refused. */
export const MAX_COMMENTARY_LENGTH = 10_000;
export const MAX_KPI_COMMENTARY_LENGTH = 2_000;
export const MAX_NARRATIVE_PARAGRAPHS = 12;

@ArgsType()
export class ReportsArgs extends PageArgs {
  @Field(() => ID, { description: 'Client id.' })
  @IsUUID('all', { message: 'clientId must be a client id' })
  clientId!: string;

  @Field(() => ReportKindEnum, { nullable: true, description: 'Only reports of this kind.' })
  @IsOptional()
  @IsIn(REPORT_KINDS)
  kind?: ReportKind;

  @Field(() => ReportStatusEnum, { nullable: true, description: 'Only reports in this status.' })
  @IsOptional()
  @IsIn(REPORT_STATUSES)
  status?: ReportStatus;
}

@InputType({ description: 'The commentary on one KPI.' })
export class KpiCommentaryInput {
  @Field({ description: 'KPI key, one of the report’s.' })
  @IsString()
  @MaxLength(100)
  kpiKey!: string;

  @Field({ description: `Plain text (paragraphs, line breaks, **bold**), at most ${MAX_KPI_COMMENTARY_LENGTH} characters; blank removes it.` })
  @IsString()
  @MaxLength(MAX_KPI_COMMENTARY_LENGTH)
  @IsPlainText('MULTILINE')
  text!: string;
}

@InputType({ description: 'The manager’s content of a report; omitted fields stay as they are.' })
export class UpdateReportCommentaryInput {
  @Field(() => ID, { description: 'Report id.' })
  @IsUUID('all', { message: 'reportId must be a report id' })
  reportId!: string;

  @Field(() => String, {
    nullable: true,
    description: `The analysis (paragraphs, line breaks, **bold**), at most ${MAX_COMMENTARY_LENGTH} characters; null or blank removes it.`,
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_COMMENTARY_LENGTH)
  @IsPlainText('MULTILINE')
  commentary?: string | null;

  @Field(() => [KpiCommentaryInput], { nullable: true, description: 'Replaces the whole per-KPI commentary.' })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => KpiCommentaryInput)
  kpiCommentary?: KpiCommentaryInput[];

  @Field(() => [String], { nullable: true, description: 'Replaces the narrative’s paragraphs; an empty list goes back to the drafted one.' })
  @IsOptional()
  @ArrayMaxSize(MAX_NARRATIVE_PARAGRAPHS)
  @IsString({ each: true })
  @MaxLength(MAX_KPI_COMMENTARY_LENGTH, { each: true })
  @IsPlainText('MULTILINE', { each: true })
  narrative?: string[];
}
