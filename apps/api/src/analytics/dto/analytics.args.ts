import { ArgsType, Field, ID, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { BREAKDOWN_DIMENSIONS, LOCALES, PERIOD_GRAINS, type BreakdownDimension, type Locale, type PeriodGrain } from '@pilotage/kpi';
import { MAX_BREAKDOWN_GROUPS } from '@pilotage/analytics';
import { enumObject, LocaleEnum } from '../../common/graphql-enums';
import { BreakdownDimensionEnum } from '../../common/kpi-enums';
import { MAX_SERIES_KPIS, MAX_SERIES_PERIODS_BY_GRAIN } from '../../common/query-limits';

export const PeriodGrainEnum = enumObject<PeriodGrain>(PERIOD_GRAINS);
registerEnumType(PeriodGrainEnum, { name: 'PeriodGrain', description: 'Length of each period of a series (ISO weeks start on Monday).' });

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const BREAKDOWN_DESCRIPTION =
  `Also compute each KPI per channel, source or campaign, with the total’s rules (ratio of sums per group). At most ${MAX_BREAKDOWN_GROUPS} ` +
  'groups, ranked by the main volume; the others are folded into one group (key null). KPIs reading a metric no channel owns ' +
  '(marketing cost, stocks, satisfaction) stay total-only (totalOnly, reason BLENDED).';
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

@ArgsType()
export class KpiSeriesArgs {
  @Field(() => ID, { description: 'Client id.' })
  @IsUUID('all', { message: 'clientId must be a client id' })
  clientId!: string;

  @Field(() => [String], { description: `KPI keys (catalog or the agency’s own), at most ${MAX_SERIES_KPIS}.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SERIES_KPIS)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  kpiKeys!: string[];

  @Field({ description: 'First day (YYYY-MM-DD, client time zone); the series starts with the period containing it.' })
  @Matches(ISO_DATE, { message: 'from must be a date like 2026-01-31' })
  from!: string;

  @Field({
    description:
      'Last day (YYYY-MM-DD); the series ends with the period containing it. A series holds at most ' +
      Object.entries(MAX_SERIES_PERIODS_BY_GRAIN)
        .map(([grain, periods]) => `${periods} ${grain}`)
        .join(', ') +
      ' periods.',
  })
  @Matches(ISO_DATE, { message: 'to must be a date like 2026-12-31' })
  to!: string;

  @Field(() => PeriodGrainEnum, { description: 'Period length.' })
  @IsIn(PERIOD_GRAINS)
  grain!: PeriodGrain;

  @Field(() => BreakdownDimensionEnum, { nullable: true, description: `${BREAKDOWN_DESCRIPTION} Each series then holds one per group.` })
  @IsOptional()
  @IsIn(BREAKDOWN_DIMENSIONS)
  breakdown?: BreakdownDimension | null;

  @Field(() => LocaleEnum, { nullable: true, description: 'Language of names; the client’s by default.' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

@ArgsType()
export class MonthArgs {
  @Field(() => ID, { description: 'Client id.' })
  @IsUUID('all', { message: 'clientId must be a client id' })
  clientId!: string;

  @Field({ description: 'Month, YYYY-MM, in the client’s time zone.' })
  @Matches(MONTH, { message: 'month must be a month like 2026-10' })
  month!: string;

  @Field(() => LocaleEnum, { nullable: true, description: 'Language of names; the client’s by default.' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

@ArgsType()
export class WeekArgs {
  @Field(() => ID, { description: 'Client id.' })
  @IsUUID('all', { message: 'clientId must be a client id' })
  clientId!: string;

  @Field({ description: 'Monday of the ISO week, YYYY-MM-DD, in the client’s time zone.' })
  @Matches(ISO_DATE, { message: 'weekStart must be a date like 2026-10-05' })
  weekStart!: string;

  @Field(() => LocaleEnum, { nullable: true, description: 'Language of names; the client’s by default.' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

/** A month's scorecard or funnel, optionally broken down. */
@ArgsType()
export class MonthBreakdownArgs extends MonthArgs {
  @Field(() => BreakdownDimensionEnum, { nullable: true, description: BREAKDOWN_DESCRIPTION })
  @IsOptional()
  @IsIn(BREAKDOWN_DIMENSIONS)
  breakdown?: BreakdownDimension | null;
}

/** A week's scorecard or funnel, optionally broken down. */
@ArgsType()
export class WeekBreakdownArgs extends WeekArgs {
  @Field(() => BreakdownDimensionEnum, { nullable: true, description: BREAKDOWN_DESCRIPTION })
  @IsOptional()
  @IsIn(BREAKDOWN_DIMENSIONS)
  breakdown?: BreakdownDimension | null;
}
