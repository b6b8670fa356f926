import { registerEnumType } from '@nestjs/graphql';
import {
  CHANNELS,
  CLIENT_TRAITS,
  FUNNEL_STAGES,
  KPI_AGGREGATIONS,
  KPI_CATEGORIES,
  KPI_DIRECTIONS,
  KPI_UNITS,
  MARKETING_CHANNELS,
  METRIC_AGGREGATIONS,
  METRIC_UNITS,
  OBJECTIVE_KEYS,
  PLAN_WARNING_CODES,
  type Channel,
  type ClientTrait,
  type FunnelStage,
  type KpiAggregation,
  type KpiCategory,
  type KpiDirection,
  type KpiUnit,
  type MarketingChannel,
  type MetricAggregation,
  type MetricUnit,
  type ObjectiveKey,
  type PlanWarningCode,
  type TargetSplitMode,
} from '@pilotage/kpi';
import { KICKOFF_STATUSES, KPI_PLAN_STATUSES, type KickoffStatus, type KpiPlanStatus } from '@pilotage/database';
import { enumObject } from './graphql-enums';

/** The KPI domain's vocabulary as GraphQL enums, shared by the catalog, custom KPIs and kickoffs. */

export const FunnelStageEnum = enumObject<FunnelStage>(FUNNEL_STAGES);
registerEnumType(FunnelStageEnum, { name: 'FunnelStage', description: 'Funnel stage, tracked one after another.' });

export const ClientTraitEnum = enumObject<ClientTrait>(CLIENT_TRAITS);
registerEnumType(ClientTraitEnum, { name: 'ClientTrait', description: 'A trait of the client’s offer that adds KPIs (freemium, lead magnet, ...).' });

export const MarketingChannelEnum = enumObject<MarketingChannel>(MARKETING_CHANNELS);
registerEnumType(MarketingChannelEnum, { name: 'MarketingChannel', description: 'A marketing channel the client uses.' });

export const ChannelEnum = enumObject<Channel>(CHANNELS);
registerEnumType(ChannelEnum, {
  name: 'Channel',
  description: 'The channel a metric value was earned through: paid search, paid social, organic search, e-mail, direct, referral, marketplace, other.',
});

export const MetricUnitEnum = enumObject<MetricUnit>(METRIC_UNITS);
registerEnumType(MetricUnitEnum, { name: 'MetricUnit', description: 'Unit of a raw metric.' });

export const MetricAggregationEnum = enumObject<MetricAggregation>(METRIC_AGGREGATIONS);
registerEnumType(MetricAggregationEnum, {
  name: 'MetricAggregation',
  description: 'How a metric aggregates over a period: SUM for flows, LAST for stocks.',
});

export const KpiUnitEnum = enumObject<KpiUnit>(KPI_UNITS);
registerEnumType(KpiUnitEnum, { name: 'KpiUnit', description: 'Unit of a KPI value; PERCENT values are fractions (0.125 is 12.5 %).' });

export const KpiDirectionEnum = enumObject<KpiDirection>(KPI_DIRECTIONS);
registerEnumType(KpiDirectionEnum, { name: 'KpiDirection', description: 'Whether a higher or a lower value is better.' });

export const KpiAggregationEnum = enumObject<KpiAggregation>(KPI_AGGREGATIONS);
registerEnumType(KpiAggregationEnum, {
  name: 'KpiAggregation',
  description: 'FLOW KPIs sum over time (a yearly target splits across months); LEVEL KPIs (rates, ratios, stocks) do not.',
});

/** Catalog categories are lower-case in the domain; GraphQL spells enum values in capitals. */
export const KpiCategoryEnum: Readonly<Record<string, KpiCategory>> = Object.fromEntries(KPI_CATEGORIES.map((category) => [category.toUpperCase(), category]));
registerEnumType(KpiCategoryEnum, { name: 'KpiCategory', description: 'Family a KPI belongs to.' });

export const ObjectiveKeyEnum = enumObject<ObjectiveKey>(OBJECTIVE_KEYS);
registerEnumType(ObjectiveKeyEnum, { name: 'ObjectiveKey', description: 'A strategic objective discussed at the kickoff.' });

export const PlanWarningCodeEnum = enumObject<PlanWarningCode>(PLAN_WARNING_CODES);
registerEnumType(PlanWarningCodeEnum, { name: 'PlanWarningCode', description: 'Advice on the size of a KPI plan.' });

export const TARGET_SPLIT_MODES: readonly TargetSplitMode[] = ['EVEN', 'SEASONAL'];
export const TargetSplitModeEnum = enumObject<TargetSplitMode>(TARGET_SPLIT_MODES);
registerEnumType(TargetSplitModeEnum, {
  name: 'TargetSplitMode',
  description: 'EVEN splits a yearly goal equally; SEASONAL follows last year’s monthly values when they are known.',
});

export const KickoffStatusEnum = enumObject<KickoffStatus>(KICKOFF_STATUSES);
registerEnumType(KickoffStatusEnum, { name: 'KickoffStatus', description: 'DRAFT while being prepared; APPROVED once it made a KPI plan.' });

export const KpiPlanStatusEnum = enumObject<KpiPlanStatus>(KPI_PLAN_STATUSES);
registerEnumType(KpiPlanStatusEnum, { name: 'KpiPlanStatus', description: 'ACTIVE is the client’s current plan; SUPERSEDED plans are history.' });
