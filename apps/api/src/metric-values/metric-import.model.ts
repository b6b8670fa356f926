import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  METRIC_GRANULARITIES,
  METRIC_IMPORT_KINDS,
  METRIC_IMPORT_STATUSES,
  type MetricGranularity,
  type MetricImportKind,
  type MetricImportStatus,
} from '@pilotage/database';
import { enumObject } from '../common/graphql-enums';
import { Connection } from '../common/pagination';

export const MetricGranularityEnum = enumObject<MetricGranularity>(METRIC_GRANULARITIES);
registerEnumType(MetricGranularityEnum, {
  name: 'MetricGranularity',
  description: 'Period a value covers: DAY, or WEEK (dated on its Monday) / MONTH (dated on the 1st) for figures entered by period.',
});

export const MetricImportKindEnum = enumObject<MetricImportKind>(METRIC_IMPORT_KINDS);
registerEnumType(MetricImportKindEnum, { name: 'MetricImportKind', description: 'How the values came in: API (recordMetricValues) or CSV file.' });

export const MetricImportStatusEnum = enumObject<MetricImportStatus>(METRIC_IMPORT_STATUSES);
registerEnumType(MetricImportStatusEnum, {
  name: 'MetricImportStatus',
  description: 'COMMITTED: the values were written. REJECTED: the file had errors and nothing was written.',
});

@ObjectType({ description: 'What a call to recordMetricValues wrote.' })
export class MetricValuesRecorded {
  @Field(() => ID, { description: 'Id of the import batch that records this call.' })
  importId!: string;

  @Field(() => Int, { description: 'Values that did not exist yet.' })
  inserted!: number;

  @Field(() => Int, { description: 'Existing values replaced by a different value (corrections, audited).' })
  updated!: number;

  @Field(() => Int, { description: 'Values sent again with the same value: nothing changed.' })
  unchanged!: number;
}

@ObjectType({ description: 'A problem found in an import, located for whoever fixes the file.' })
export class MetricImportProblem {
  @Field(() => Int, { description: 'Line of the file (header = 1); for the API, the index of the value.' })
  line!: number;

  @Field({ description: 'Column name as written in the header, or the input field.' })
  column!: string;

  @Field({ description: 'Machine-readable reason (e.g. NEGATIVE_VALUE).' })
  code!: string;

  @Field({ description: 'Explanation for people.' })
  message!: string;
}

@ObjectType({ description: 'A batch of metric values sent for a client: a recordMetricValues call or a CSV file.' })
export class MetricImport {
  @Field(() => ID, { description: 'Import id.' })
  id!: string;

  @Field(() => ID, { description: 'Client the values belong to.' })
  clientId!: string;

  @Field(() => MetricImportKindEnum, { description: 'API or CSV.' })
  kind!: MetricImportKind;

  @Field(() => String, { nullable: true, description: 'Name of the imported file, when the uploader gave one.' })
  fileName!: string | null;

  @Field(() => MetricImportStatusEnum, { description: 'Whether the values were written.' })
  status!: MetricImportStatus;

  @Field(() => Int, { description: 'Valid values read.' })
  rows!: number;

  @Field(() => Int, { description: 'Values that did not exist yet.' })
  inserted!: number;

  @Field(() => Int, { description: 'Existing values replaced by a different value.' })
  updated!: number;

  @Field(() => Int, { description: 'Values identical to those already stored.' })
  unchanged!: number;

  @Field(() => Int, { description: 'Problems found (0 for a committed import).' })
  errorCount!: number;

  @Field(() => [MetricImportProblem], { description: 'The first problems found (at most 100 are kept).' })
  errors!: MetricImportProblem[];

  @Field(() => ID, { nullable: true, description: 'User who sent the values; null for the system or an API key.' })
  createdBy!: string | null;

  @Field(() => ID, { nullable: true, description: 'API key the values were sent with (see `apiKeys`); null when a user or the system sent them.' })
  apiKeyId!: string | null;

  @Field({ description: 'When the import ran.' })
  createdAt!: Date;
}

@ObjectType({ description: 'A page of metric imports, newest first.' })
export class MetricImportConnection extends Connection(MetricImport, 'MetricImport') {}
