import { Field, Int, ObjectType } from '@nestjs/graphql';
import type {
  BusinessModel,
  FunnelStage,
  KpiAggregation,
  KpiCategory,
  KpiDirection,
  KpiUnit,
  MetricAggregation,
  MetricUnit,
  ObjectiveKey,
} from '@pilotage/kpi';
import { BusinessModelEnum } from '../common/graphql-enums';
import {
  FunnelStageEnum,
  KpiAggregationEnum,
  KpiCategoryEnum,
  KpiDirectionEnum,
  KpiUnitEnum,
  MetricAggregationEnum,
  MetricUnitEnum,
  ObjectiveKeyEnum,
} from '../common/kpi-enums';

@ObjectType({ description: 'A raw metric imported per client and day, from the system catalog or defined by the agency.' })
export class CatalogMetric {
  @Field({ description: 'Key that KPI formulas reference.' })
  key!: string;

  @Field({ description: 'Name in the requested language (custom metrics: as the agency wrote it).' })
  name!: string;

  @Field({ description: 'What the metric counts, in the requested language.' })
  description!: string;

  @Field(() => MetricUnitEnum, { description: 'Unit.' })
  unit!: MetricUnit;

  @Field(() => MetricAggregationEnum, { description: 'How it aggregates over a period.' })
  aggregation!: MetricAggregation;

  @Field(() => [String], { description: 'Tools it can be read from; a spreadsheet import is always possible.' })
  sources!: string[];

  @Field({ description: 'Defined by the agency rather than the system catalog.' })
  custom!: boolean;
}

@ObjectType({ description: 'A KPI: a formula over metrics, from the system catalog or defined by the agency.' })
export class CatalogKpi {
  @Field({ description: 'Key of the KPI.' })
  key!: string;

  @Field({ description: 'Name in the requested language (custom KPIs: as the agency wrote it).' })
  name!: string;

  @Field({ description: 'What the KPI tells, in the requested language.' })
  description!: string;

  @Field(() => FunnelStageEnum, { description: 'Funnel stage it measures.' })
  stage!: FunnelStage;

  @Field(() => KpiCategoryEnum, { description: 'Family it belongs to.' })
  category!: KpiCategory;

  @Field(() => KpiUnitEnum, { description: 'Unit of its value.' })
  unit!: KpiUnit;

  @Field(() => KpiDirectionEnum, { description: 'Whether higher or lower is better.' })
  direction!: KpiDirection;

  @Field(() => KpiAggregationEnum, { description: 'Whether it sums over months (FLOW) or not (LEVEL).' })
  aggregation!: KpiAggregation;

  @Field(() => String, {
    nullable: true,
    description: 'Formula over metric and KPI keys, e.g. `revenue / orders`; null for a client viewer on the agency’s own KPIs (agency know-how).',
  })
  formula!: string | null;

  @Field(() => [BusinessModelEnum], { description: 'Business models it is relevant for on its own.' })
  businessModels!: BusinessModel[];

  @Field(() => [String], {
    description: 'Metrics to import to compute it, KPI references followed down to metrics; empty for a client viewer on the agency’s own KPIs.',
  })
  requiredMetrics!: string[];

  @Field(() => String, { nullable: true, description: 'Where a conventional formula comes from, in the requested language.' })
  source!: string | null;

  @Field({ description: 'Defined by the agency rather than the system catalog.' })
  custom!: boolean;
}

@ObjectType({ description: 'A KPI that measures an objective, and how strongly.' })
export class ObjectiveMeasure {
  @Field({ description: 'Key of the KPI.' })
  kpiKey!: string;

  @Field(() => FunnelStageEnum, { description: 'Funnel stage of the KPI.' })
  stage!: FunnelStage;

  @Field(() => Int, { description: '3: the objective’s own yardstick; 1: a supporting signal.' })
  weight!: number;

  @Field({ description: 'Why it measures the objective, in the requested language.' })
  reason!: string;

  @Field(() => [BusinessModelEnum], { nullable: true, description: 'Business models for which it measures the objective; null means all.' })
  businessModels!: BusinessModel[] | null;
}

@ObjectType({ description: 'A strategic objective discussed at the kickoff, with the KPIs that measure it.' })
export class Objective {
  @Field(() => ObjectiveKeyEnum, { description: 'Key of the objective.' })
  key!: ObjectiveKey;

  @Field({ description: 'Name in the requested language.' })
  name!: string;

  @Field({ description: 'Description in the requested language.' })
  description!: string;

  @Field(() => [ObjectiveMeasure], { description: 'KPIs that measure it, strongest first as in the catalog.' })
  measures!: ObjectiveMeasure[];
}
