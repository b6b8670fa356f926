import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import type { KickoffStatus, KpiPlanStatus } from '@pilotage/database';
import type { BusinessModel, ClientTrait, FunnelStage, MarketingChannel, ObjectiveKey, PlanWarningCode, TargetSplitMode } from '@pilotage/kpi';
import { BusinessModelEnum } from '../common/graphql-enums';
import {
  ClientTraitEnum,
  FunnelStageEnum,
  KickoffStatusEnum,
  KpiPlanStatusEnum,
  MarketingChannelEnum,
  ObjectiveKeyEnum,
  PlanWarningCodeEnum,
  TargetSplitModeEnum,
} from '../common/kpi-enums';
import { Connection } from '../common/pagination';

@ObjectType({ description: 'The target of one KPI for one month.' })
export class MonthlyTarget {
  @Field({ description: 'Key of the KPI.' })
  kpiKey!: string;

  @Field(() => Int, { description: 'Year.' })
  year!: number;

  @Field(() => Int, { description: 'Month, 1 (January) to 12.' })
  month!: number;

  @Field(() => Float, { description: 'Target value, in the KPI’s unit (PERCENT as a fraction).' })
  value!: number;
}

@ObjectType({ description: 'A KPI kept at a kickoff, tied to one of its objectives.' })
export class KickoffKpi {
  @Field({ description: 'Key of the KPI (catalog or custom).' })
  kpiKey!: string;

  @Field(() => ObjectiveKeyEnum, { description: 'The objective it measures.' })
  objectiveKey!: ObjectiveKey;

  @Field(() => FunnelStageEnum, { nullable: true, description: 'Its funnel stage; null when the KPI no longer exists (a deleted custom KPI).' })
  stage!: FunnelStage | null;

  @Field(() => Int, { description: 'Order of the selection, from 0.' })
  position!: number;
}

@ObjectType({ description: 'A kickoff with a client: business model, objectives, KPIs and monthly targets, until approved.' })
export class Kickoff {
  @Field(() => ID, { description: 'Kickoff id.' })
  id!: string;

  @Field(() => ID, { description: 'Client id.' })
  clientId!: string;

  @Field(() => KickoffStatusEnum, { description: 'DRAFT, or APPROVED once it made a KPI plan (then frozen).' })
  status!: KickoffStatus;

  @Field(() => BusinessModelEnum, { description: 'Business model discussed at the kickoff.' })
  businessModel!: BusinessModel;

  @Field(() => [ClientTraitEnum], { description: 'Traits of the client’s offer.' })
  traits!: ClientTrait[];

  @Field(() => [MarketingChannelEnum], { description: 'Channels the client uses.' })
  channels!: MarketingChannel[];

  @Field({ description: 'The client’s core target audience.' })
  coreTarget!: string;

  @Field(() => [ObjectiveKeyEnum], { description: 'The vital objectives, in the order chosen.' })
  objectiveKeys!: ObjectiveKey[];

  @Field(() => [KickoffKpi], { description: 'The KPIs kept, in selection order.' })
  kpis!: KickoffKpi[];

  @Field(() => Int, { nullable: true, description: 'Year the monthly targets cover; set by the first targets.' })
  year!: number | null;

  @Field(() => [MonthlyTarget], { description: 'Monthly targets, by KPI then month.' })
  targets!: MonthlyTarget[];

  @Field(() => ID, { nullable: true, description: 'The KPI plan its approval created.' })
  planId!: string | null;

  @Field({ description: 'Creation time.' })
  createdAt!: Date;

  @Field({ description: 'Last change.' })
  updatedAt!: Date;
}

@ObjectType({ description: 'Advice on the plan’s size; the plan may be kept as it is.' })
export class PlanWarning {
  @Field(() => PlanWarningCodeEnum, { description: 'What the advice is about.' })
  code!: PlanWarningCode;

  @Field({ description: 'The advice, in the client’s language.' })
  message!: string;
}

@ObjectType({ description: 'A kickoff after a change, with the advice that change calls for.' })
export class KickoffChange {
  @Field(() => Kickoff, { description: 'The kickoff as saved.' })
  kickoff!: Kickoff;

  @Field(() => [PlanWarning], { description: 'Advice on the number of objectives and KPIs.' })
  warnings!: PlanWarning[];
}

@ObjectType({ description: 'A KPI proposed at a kickoff.' })
export class RecommendedKpi {
  @Field({ description: 'Key of the KPI.' })
  kpiKey!: string;

  @Field({ description: 'Name in the requested language.' })
  name!: string;

  @Field(() => FunnelStageEnum, { description: 'Funnel stage.' })
  stage!: FunnelStage;

  @Field(() => Int, { description: 'Ranking score: objectives measured weigh most, then fit with the model, traits and channels.' })
  score!: number;

  @Field(() => [String], { description: 'Why it is proposed, most important first.' })
  reasons!: string[];

  @Field(() => [String], { description: 'Metrics to import to compute it.' })
  requiredMetrics!: string[];

  @Field(() => [ObjectiveKeyEnum], { description: 'The kickoff’s objectives it measures.' })
  objectiveKeys!: ObjectiveKey[];

  @Field({ description: 'Part of the short list proposed for the plan.' })
  shortlisted!: boolean;

  @Field({ description: 'Defined by the agency.' })
  custom!: boolean;
}

@ObjectType({ description: 'The KPIs proposed for one funnel stage, best first.' })
export class StageRecommendation {
  @Field(() => FunnelStageEnum, { description: 'Funnel stage.' })
  stage!: FunnelStage;

  @Field(() => [RecommendedKpi], { description: 'KPIs, best first.' })
  kpis!: RecommendedKpi[];
}

@ObjectType({ description: 'KPIs proposed for a kickoff, per funnel stage in funnel order.' })
export class KpiRecommendations {
  @Field(() => [StageRecommendation], { description: 'Every funnel stage, in funnel order, even when empty.' })
  stages!: StageRecommendation[];

  @Field(() => [PlanWarning], { description: 'Advice on the number of objectives and KPIs.' })
  warnings!: PlanWarning[];
}

@ObjectType({ description: 'The monthly targets an annual goal was split into.' })
export class AnnualTargetSplit {
  @Field(() => Kickoff, { description: 'The kickoff with the targets saved.' })
  kickoff!: Kickoff;

  @Field({ description: 'Key of the KPI.' })
  kpiKey!: string;

  @Field(() => TargetSplitModeEnum, {
    description: 'The mode actually used: SEASONAL falls back to EVEN without last year’s values; rates and stocks repeat the yearly value.',
  })
  mode!: TargetSplitMode;

  @Field(() => String, {
    nullable: true,
    description: 'Why SEASONAL fell back to EVEN: LAST_YEAR_INCOMPLETE, LAST_YEAR_EMPTY, LAST_YEAR_NEGATIVE, or LEVEL_NOT_SPLIT for a rate or stock.',
  })
  fallbackReason!: string | null;

  @Field(() => [MonthlyTarget], { description: 'The twelve monthly targets.' })
  targets!: MonthlyTarget[];
}

@ObjectType({ description: 'A KPI of a plan.' })
export class PlanKpi {
  @Field({ description: 'Key of the KPI (catalog or custom).' })
  kpiKey!: string;

  @Field(() => ObjectiveKeyEnum, { description: 'The objective it measures.' })
  objectiveKey!: ObjectiveKey;

  @Field(() => FunnelStageEnum, { description: 'Funnel stage, as at approval.' })
  stage!: FunnelStage;

  @Field(() => Int, { description: 'Order in the plan, from 0.' })
  position!: number;
}

@ObjectType({ description: 'A client’s KPI plan, made by approving a kickoff; a later approval supersedes it.' })
export class KpiPlan {
  @Field(() => ID, { description: 'Plan id.' })
  id!: string;

  @Field(() => ID, { description: 'Client id.' })
  clientId!: string;

  @Field(() => Int, { description: '1, 2, ... per client, in approval order.' })
  version!: number;

  @Field(() => ID, { description: 'The kickoff it was approved from.' })
  kickoffId!: string;

  @Field(() => KpiPlanStatusEnum, { description: 'ACTIVE or SUPERSEDED.' })
  status!: KpiPlanStatus;

  @Field(() => Int, { description: 'Year the monthly targets cover.' })
  year!: number;

  @Field({ description: 'Approval time.' })
  approvedAt!: Date;

  @Field(() => ID, { nullable: true, description: 'Who approved it.' })
  approvedBy!: string | null;

  @Field(() => [PlanKpi], { description: 'KPIs, in plan order.' })
  kpis!: PlanKpi[];

  @Field(() => [MonthlyTarget], { description: 'Monthly targets, by KPI then month.' })
  targets!: MonthlyTarget[];
}

@ObjectType({ description: 'A page of a client’s KPI plans, newest first.' })
export class KpiPlanConnection extends Connection(KpiPlan, 'KpiPlan') {}
