import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { METRIC_GRANULARITIES, type MetricGranularity } from '@pilotage/database';
import { CHANNELS, type Channel } from '@pilotage/kpi';
import {
  CAMPAIGN_MAX_LENGTH,
  DATE_FORMATS,
  DECIMAL_MARKS,
  EXPORT_PRESET_IDS,
  METRIC_CSV_FORMATS,
  SOURCE_MAX_LENGTH,
  type DateFormat,
  type DecimalMark,
  type ExportPresetId,
  type MetricCsvFormat,
  parseChannel,
} from '@pilotage/ingestion';
import { ChannelEnum } from '../../common/kpi-enums';
import { PageArgs } from '../../common/pagination';
import { IsPlainText } from '../../common/validators';
import { DecimalScalar } from '../decimal.scalar';
import { MetricGranularityEnum } from '../metric-import.model';

export const MAX_VALUES_PER_CALL = 10_000;

/*
 * Shapes only: what a value means (known metric, real date in range, sign and scale for the
 * metric's unit, no duplicate) is checked by the service, which reports every problem of the
 * call at once with its index (`values.12.value`) instead of stopping at the first kind.
 */

@InputType({ description: 'One metric value.' })
export class MetricValueInput {
  @Field({ description: 'Metric key from the catalog (or one of the agency’s custom metrics).' })
  @IsString()
  @MaxLength(200)
  metricKey!: string;

  @Field({ description: 'Calendar date YYYY-MM-DD in the client’s time zone, from 2000-01-01 to a year from today.' })
  @IsString()
  @MaxLength(20)
  date!: string;

  @Field(() => DecimalScalar, { description: 'The value; a decimal string ("1234.56") keeps cents exact. At most 4 decimals.' })
  @IsString()
  @MaxLength(60)
  value!: string;

  @Field(() => String, { nullable: true, description: `Where the figure comes from (default "manual"), at most ${SOURCE_MAX_LENGTH} characters.` })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  // Line breaks are let through, as CSV imports always did (a quoted cell may hold them); NUL and escapes are not.
  @IsPlainText('MULTILINE')
  source?: string;

  @Field(() => MetricGranularityEnum, { nullable: true, description: 'DAY (default), WEEK or MONTH.' })
  @IsOptional()
  @IsIn(METRIC_GRANULARITIES)
  granularity?: MetricGranularity;

  @Field(() => ChannelEnum, {
    nullable: true,
    description: 'Channel the figure was earned through; absent: the client’s channel for the source, else the default guessed from its name.',
  })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  @Field(() => String, { nullable: true, description: `Campaign the figure belongs to (absent or empty: none), at most ${CAMPAIGN_MAX_LENGTH} characters.` })
  @IsOptional()
  @IsString()
  // A shape bound only: the service names the value (`values.3.campaign`) when it is too long or holds a control character.
  @MaxLength(2_000)
  campaign?: string;
}

@InputType({ description: `Values for one client: up to ${MAX_VALUES_PER_CALL} a call, all written or none.` })
export class RecordMetricValuesInput {
  @Field(() => ID, { description: 'Client id.' })
  @IsString()
  clientId!: string;

  @Field(() => [MetricValueInput], {
    description: 'The values; a value already stored for the same metric, date, source, channel and campaign is replaced.',
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_VALUES_PER_CALL)
  @ValidateNested({ each: true })
  @Type(() => MetricValueInput)
  values!: MetricValueInput[];
}

@ArgsType()
export class MetricImportsArgs extends PageArgs {
  @Field(() => ID, { description: 'Client id.' })
  @IsString()
  clientId!: string;
}

function toBoolean({ value }: { value: unknown }): unknown {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
}

/** A channel in a URL may be its key or its French or English name ("Paid search"). */
function toChannel({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? (parseChannel(value) ?? value) : value;
}

function toDelimiter({ value }: { value: unknown }): unknown {
  // A tab is awkward in a URL: accept the word too.
  return value === 'tab' || value === 'TAB' ? '\t' : value;
}

/** Query string of `POST /clients/:clientId/metric-imports`. Undeclared conventions are detected from the file. */
export class MetricCsvImportQuery {
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;

  @IsOptional()
  @Transform(toDelimiter)
  @IsIn([';', ',', '\t'], { message: 'delimiter must be ";", "," or "tab"' })
  delimiter?: ';' | ',' | '\t';

  @IsOptional()
  @IsIn(DECIMAL_MARKS)
  decimal?: DecimalMark;

  @IsOptional()
  @IsIn(DATE_FORMATS)
  dateFormat?: DateFormat;

  @IsOptional()
  @IsIn(METRIC_CSV_FORMATS)
  format?: MetricCsvFormat;

  @IsOptional()
  @IsString()
  @MaxLength(SOURCE_MAX_LENGTH)
  @IsPlainText()
  source?: string;

  @IsOptional()
  @IsIn(METRIC_GRANULARITIES)
  granularity?: MetricGranularity;

  @IsOptional()
  @Transform(toChannel)
  @IsIn(CHANNELS, { message: `channel must be one of ${CHANNELS.join(', ')} (or its French or English name)` })
  channel?: Channel;

  @IsOptional()
  @IsString()
  @MaxLength(CAMPAIGN_MAX_LENGTH)
  @IsPlainText()
  campaign?: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  @IsPlainText()
  fileName?: string;

  /** Read the file as this platform export instead of detecting it from its header. */
  @IsOptional()
  @IsIn(EXPORT_PRESET_IDS, { message: `preset must be one of ${EXPORT_PRESET_IDS.join(', ')}` })
  preset?: ExportPresetId;

  /** Id of one of the client's saved column mappings to read the file with. */
  @IsOptional()
  @IsUUID('all', { message: 'mapping must be the id of a saved column mapping' })
  mapping?: string;
}
