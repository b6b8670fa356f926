import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import {
  MAPPING_COLUMN_MAX_LENGTH,
  MAPPING_DATE_FORMATS,
  MAPPING_MAX_CHANNEL_VALUES,
  MAPPING_MAX_METRICS,
  MAPPING_NAME_MAX_LENGTH,
  SOURCE_MAX_LENGTH,
  type MappingDateFormat,
} from '@pilotage/ingestion';
import { CHANNELS, type Channel } from '@pilotage/kpi';
import { ChannelEnum } from '../../common/kpi-enums';
import { IsNotBlank, IsPlainText } from '../../common/validators';
import { MappingDateFormatEnum } from '../column-mapping.model';

/*
 * Shapes and bounds only; what the mapping means (known metric keys, no column used twice, a
 * channel column for value pairs) is checked by libs/ingestion's checkColumnMapping, which
 * reports every problem at once by field.
 */

@InputType({ description: 'A value of the channel column and the channel it stands for.' })
export class ColumnChannelValueInput {
  @Field({ description: 'Cell value.' })
  @IsString()
  @MaxLength(MAPPING_COLUMN_MAX_LENGTH)
  @IsPlainText()
  value!: string;

  @Field(() => ChannelEnum, { description: 'Channel.' })
  @IsIn(CHANNELS)
  channel!: Channel;
}

@InputType({ description: 'A column of the file and the metric it feeds.' })
export class ColumnMetricInput {
  @Field({ description: 'Column name as the header writes it.' })
  @IsString()
  @MaxLength(MAPPING_COLUMN_MAX_LENGTH)
  @IsPlainText()
  column!: string;

  @Field({ description: 'Metric key.' })
  @IsString()
  @MaxLength(100)
  metricKey!: string;
}

@InputType({ description: 'A column mapping to create (no id) or replace (id of an existing one).' })
export class SaveColumnMappingInput {
  @Field(() => ID, { description: 'Client.' })
  @IsUUID('all')
  clientId!: string;

  @Field(() => ID, { nullable: true, description: 'Mapping to replace; omitted to create one.' })
  @IsOptional()
  @IsUUID('all')
  id?: string;

  @Field({ description: 'Name, unique per client.' })
  @IsString()
  @MaxLength(MAPPING_NAME_MAX_LENGTH)
  @IsPlainText()
  @IsNotBlank()
  name!: string;

  @Field({ description: 'Column holding the day of each row.' })
  @IsString()
  @MaxLength(MAPPING_COLUMN_MAX_LENGTH)
  @IsPlainText()
  dateColumn!: string;

  @Field(() => MappingDateFormatEnum, { description: 'How that column writes dates.' })
  @IsIn(MAPPING_DATE_FORMATS)
  dateFormat!: MappingDateFormat;

  @Field(() => String, { nullable: true, description: 'Column holding the campaign name.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAPPING_COLUMN_MAX_LENGTH)
  @IsPlainText()
  campaignColumn?: string | null;

  @Field(() => ChannelEnum, { description: 'Channel of every row, or of rows whose channel value has no pair.' })
  @IsIn(CHANNELS)
  channel!: Channel;

  @Field(() => String, { nullable: true, description: 'Column holding a channel label.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAPPING_COLUMN_MAX_LENGTH)
  @IsPlainText()
  channelColumn?: string | null;

  @Field(() => [ColumnChannelValueInput], { defaultValue: [], description: `Channel labels and our channels (at most ${MAPPING_MAX_CHANNEL_VALUES}).` })
  @ArrayMaxSize(MAPPING_MAX_CHANNEL_VALUES)
  @ValidateNested({ each: true })
  @Type(() => ColumnChannelValueInput)
  channelValues!: ColumnChannelValueInput[];

  @Field({ description: 'Source of the values: platform and account ("Microsoft Ads 123").' })
  @IsString()
  @MaxLength(SOURCE_MAX_LENGTH)
  @IsPlainText()
  @IsNotBlank()
  source!: string;

  @Field(() => [ColumnMetricInput], { description: `Columns read as metrics (1 to ${MAPPING_MAX_METRICS}).` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAPPING_MAX_METRICS)
  @ValidateNested({ each: true })
  @Type(() => ColumnMetricInput)
  metrics!: ColumnMetricInput[];
}
