import { Field, ID, InputType, OmitType, PartialType } from '@nestjs/graphql';
import { ArrayMaxSize, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import {
  BUSINESS_MODELS,
  FUNNEL_STAGES,
  KPI_AGGREGATIONS,
  KPI_CATEGORIES,
  KPI_DIRECTIONS,
  KPI_UNITS,
  MAX_FORMULA_LENGTH,
  METRIC_AGGREGATIONS,
  METRIC_UNITS,
  type BusinessModel,
  type FunnelStage,
  type KpiAggregation,
  type KpiCategory,
  type KpiDirection,
  type KpiUnit,
  type MetricAggregation,
  type MetricUnit,
} from '@pilotage/kpi';
import { BusinessModelEnum } from '../../common/graphql-enums';
import {
  FunnelStageEnum,
  KpiAggregationEnum,
  KpiCategoryEnum,
  KpiDirectionEnum,
  KpiUnitEnum,
  MetricAggregationEnum,
  MetricUnitEnum,
} from '../../common/kpi-enums';
import { IsNotBlank, IsPlainText } from '../../common/validators';

/** Formula identifiers: lower-case letters, digits and underscores, not starting with a digit. */
export const DEFINITION_KEY = /^[a-z_][a-z0-9_]*$/;

@InputType({ description: 'A new custom metric.' })
export class CreateCustomMetricInput {
  @Field({ description: 'Key formulas will reference: lower-case letters, digits and _ (e.g. showroom_visits).' })
  @Matches(DEFINITION_KEY, { message: 'key must be lower-case letters, digits and _, not starting with a digit' })
  @MaxLength(60)
  key!: string;

  @Field({ description: 'Name.' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @IsPlainText()
  @IsNotBlank()
  name!: string;

  @Field({ nullable: true, description: 'Description.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @IsPlainText('MULTILINE')
  description?: string;

  @Field(() => MetricUnitEnum, { description: 'Unit.' })
  @IsIn(METRIC_UNITS)
  unit!: MetricUnit;

  @Field(() => MetricAggregationEnum, { description: 'SUM for flows, LAST for stocks.' })
  @IsIn(METRIC_AGGREGATIONS)
  aggregation!: MetricAggregation;
}

@InputType({ description: 'Changes to a custom metric; the key cannot change, omitted fields stay.' })
export class UpdateCustomMetricInput extends PartialType(OmitType(CreateCustomMetricInput, ['key'] as const)) {
  @Field(() => ID, { description: 'Custom metric id.' })
  @IsUUID('all', { message: 'id must be a custom metric id' })
  id!: string;
}

@InputType({ description: 'A new custom KPI.' })
export class CreateCustomKpiInput {
  @Field({ description: 'Key: lower-case letters, digits and _ (e.g. showroom_conversion_rate).' })
  @Matches(DEFINITION_KEY, { message: 'key must be lower-case letters, digits and _, not starting with a digit' })
  @MaxLength(60)
  key!: string;

  @Field({ description: 'Name.' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @IsPlainText()
  @IsNotBlank()
  name!: string;

  @Field({ nullable: true, description: 'Description.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @IsPlainText('MULTILINE')
  description?: string;

  @Field(() => FunnelStageEnum, { description: 'Funnel stage it measures.' })
  @IsIn(FUNNEL_STAGES)
  stage!: FunnelStage;

  @Field(() => KpiCategoryEnum, { nullable: true, description: 'Family; default: the category named like the stage.' })
  @IsOptional()
  @IsIn(KPI_CATEGORIES)
  category?: KpiCategory;

  @Field(() => KpiUnitEnum, { description: 'Unit of its value.' })
  @IsIn(KPI_UNITS)
  unit!: KpiUnit;

  @Field(() => KpiDirectionEnum, { description: 'Whether higher or lower is better.' })
  @IsIn(KPI_DIRECTIONS)
  direction!: KpiDirection;

  @Field(() => KpiAggregationEnum, { description: 'FLOW for counts and amounts, LEVEL for rates, ratios and stocks.' })
  @IsIn(KPI_AGGREGATIONS)
  aggregation!: KpiAggregation;

  @Field({ description: 'Formula over metric and KPI keys: numbers, + - * /, parentheses, min, max, abs.' })
  @IsString()
  @MaxLength(MAX_FORMULA_LENGTH)
  formula!: string;

  @Field(() => [BusinessModelEnum], { nullable: true, description: 'Business models a kickoff proposes it for; default: all.' })
  @IsOptional()
  @ArrayMaxSize(BUSINESS_MODELS.length)
  @IsIn(BUSINESS_MODELS, { each: true })
  businessModels?: BusinessModel[];
}

@InputType({ description: 'Changes to a custom KPI; the key cannot change, omitted fields stay.' })
export class UpdateCustomKpiInput extends PartialType(OmitType(CreateCustomKpiInput, ['key'] as const)) {
  @Field(() => ID, { description: 'Custom KPI id.' })
  @IsUUID('all', { message: 'id must be a custom KPI id' })
  id!: string;
}
