import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { BusinessModel, FunnelStage, KpiAggregation, KpiCategory, KpiDirection, KpiUnit, MetricAggregation, MetricUnit } from '@pilotage/kpi';
import { BusinessModelEnum } from '../common/graphql-enums';
import {
  FunnelStageEnum,
  KpiAggregationEnum,
  KpiCategoryEnum,
  KpiDirectionEnum,
  KpiUnitEnum,
  MetricAggregationEnum,
  MetricUnitEnum,
} from '../common/kpi-enums';

@ObjectType({ description: 'A metric the agency defined beyond the system catalog.' })
export class CustomMetric {
  @Field(() => ID, { description: 'Id, for updates and deletion.' })
  id!: string;

  @Field({ description: 'Key that formulas reference; fixed once created.' })
  key!: string;

  @Field({ description: 'Name, as the agency wrote it.' })
  name!: string;

  @Field({ description: 'Description, as the agency wrote it.' })
  description!: string;

  @Field(() => MetricUnitEnum, { description: 'Unit.' })
  unit!: MetricUnit;

  @Field(() => MetricAggregationEnum, { description: 'How it aggregates over a period.' })
  aggregation!: MetricAggregation;

  @Field({ description: 'Creation time.' })
  createdAt!: Date;

  @Field({ description: 'Last change.' })
  updatedAt!: Date;
}

@ObjectType({ description: 'A KPI the agency defined as a formula over metrics and KPIs.' })
export class CustomKpi {
  @Field(() => ID, { description: 'Id, for updates and deletion.' })
  id!: string;

  @Field({ description: 'Key of the KPI; fixed once created.' })
  key!: string;

  @Field({ description: 'Name, as the agency wrote it.' })
  name!: string;

  @Field({ description: 'Description, as the agency wrote it.' })
  description!: string;

  @Field(() => FunnelStageEnum, { description: 'Funnel stage it measures.' })
  stage!: FunnelStage;

  @Field(() => KpiCategoryEnum, { description: 'Family it belongs to.' })
  category!: KpiCategory;

  @Field(() => KpiUnitEnum, { description: 'Unit of its value.' })
  unit!: KpiUnit;

  @Field(() => KpiDirectionEnum, { description: 'Whether higher or lower is better.' })
  direction!: KpiDirection;

  @Field(() => KpiAggregationEnum, { description: 'FLOW sums over months; LEVEL does not.' })
  aggregation!: KpiAggregation;

  @Field({ description: 'Formula over metric and KPI keys.' })
  formula!: string;

  @Field(() => [BusinessModelEnum], { description: 'Business models a kickoff proposes it for.' })
  businessModels!: BusinessModel[];

  @Field({ description: 'Creation time.' })
  createdAt!: Date;

  @Field({ description: 'Last change.' })
  updatedAt!: Date;
}
