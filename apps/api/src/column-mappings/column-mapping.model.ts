import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { MAPPING_DATE_FORMATS, type MappingDateFormat } from '@pilotage/ingestion';
import type { Channel } from '@pilotage/kpi';
import { enumObject } from '../common/graphql-enums';
import { ChannelEnum } from '../common/kpi-enums';

export const MappingDateFormatEnum = enumObject<MappingDateFormat>(MAPPING_DATE_FORMATS);
registerEnumType(MappingDateFormatEnum, {
  name: 'MappingDateFormat',
  description: 'How a mapped file writes its dates: ISO 2026-10-01, DMY 01/10/2026, MDY 10/01/2026, COMPACT 20261001.',
});

@ObjectType({ description: 'A value of the channel column and the channel it stands for.' })
export class ColumnChannelValue {
  @Field({ description: 'Cell value, compared without case, accents or spaces.' })
  value!: string;

  @Field(() => ChannelEnum, { description: 'Channel.' })
  channel!: Channel;
}

@ObjectType({ description: 'A column of the file and the metric it feeds.' })
export class ColumnMetric {
  @Field({ description: 'Column name as the file’s header writes it (compared without case, accents or spaces).' })
  column!: string;

  @Field({ description: 'Metric key (catalog or the agency’s custom metric).' })
  metricKey!: string;
}

@ObjectType({ description: 'A client’s saved way to read an export file no preset recognises.' })
export class ColumnMapping {
  @Field(() => ID, { description: 'Id, for `?mapping=` on the import endpoint, updates and deletion.' })
  id!: string;

  @Field(() => ID, { description: 'Client the mapping belongs to.' })
  clientId!: string;

  @Field({ description: 'Name, unique per client.' })
  name!: string;

  @Field({ description: 'Column holding the day of each row.' })
  dateColumn!: string;

  @Field(() => MappingDateFormatEnum, { description: 'How that column writes dates.' })
  dateFormat!: MappingDateFormat;

  @Field(() => String, { nullable: true, description: 'Column holding the campaign name; null when the file has none.' })
  campaignColumn!: string | null;

  @Field(() => ChannelEnum, { description: 'Channel of every row, or of rows whose channel value has no pair.' })
  channel!: Channel;

  @Field(() => String, { nullable: true, description: 'Column holding a channel label, translated through `channelValues`.' })
  channelColumn!: string | null;

  @Field(() => [ColumnChannelValue], { description: 'Channel labels of the file and our channels.' })
  channelValues!: ColumnChannelValue[];

  @Field({ description: 'Source of the values: platform and account.' })
  source!: string;

  @Field(() => [ColumnMetric], { description: 'Columns read as metrics.' })
  metrics!: ColumnMetric[];

  @Field({ description: 'Creation time.' })
  createdAt!: Date;

  @Field({ description: 'Last change.' })
  updatedAt!: Date;
}
