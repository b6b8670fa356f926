import { ArgsType, Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import {
  BUSINESS_MODELS,
  CLIENT_TRAITS,
  LOCALES,
  MARKETING_CHANNELS,
  OBJECTIVE_KEYS,
  type BusinessModel,
  type ClientTrait,
  type Locale,
  type MarketingChannel,
  type ObjectiveKey,
  type TargetSplitMode,
} from '@pilotage/kpi';
import { BusinessModelEnum, LocaleEnum } from '../../common/graphql-enums';
import { ClientTraitEnum, MarketingChannelEnum, ObjectiveKeyEnum, TARGET_SPLIT_MODES, TargetSplitModeEnum } from '../../common/kpi-enums';
import { PageArgs } from '../../common/pagination';
import { IsNotBlank, IsPlainText } from '../../common/validators';

/** Plans are yearly; the bounds only catch typos (20266) before they reach a date column. */
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
/** A plan is a short list; past this a selection is a mistake, not a plan. */
const MAX_SELECTIONS = 60;
const KPI_KEY = /^[a-z_][a-z0-9_]*$/;

@InputType({ description: 'Opens a kickoff for a client.' })
export class StartKickoffInput {
  @Field(() => ID, { description: 'Client id.' })
  @IsUUID('all', { message: 'clientId must be a client id' })
  clientId!: string;

  @Field(() => BusinessModelEnum, { description: 'How the client makes money.' })
  @IsIn(BUSINESS_MODELS)
  businessModel!: BusinessModel;

  @Field(() => [ClientTraitEnum], { defaultValue: [], description: 'Traits of the client’s offer.' })
  @ArrayMaxSize(CLIENT_TRAITS.length)
  @IsIn(CLIENT_TRAITS, { each: true })
  traits: ClientTrait[] = [];

  @Field(() => [MarketingChannelEnum], { defaultValue: [], description: 'Channels the client uses.' })
  @ArrayMaxSize(MARKETING_CHANNELS.length)
  @IsIn(MARKETING_CHANNELS, { each: true })
  channels: MarketingChannel[] = [];

  @Field({ description: 'The client’s core target audience, in a sentence.' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  @IsPlainText('MULTILINE')
  @IsNotBlank()
  coreTarget!: string;
}

@InputType({ description: 'The kickoff’s vital objectives: one or two, as the seeds advise.' })
export class SetKickoffObjectivesInput {
  @Field(() => ID, { description: 'Kickoff id.' })
  @IsString()
  kickoffId!: string;

  @Field(() => [ObjectiveKeyEnum], { description: 'Objectives, in order of importance.' })
  @ArrayMaxSize(OBJECTIVE_KEYS.length)
  @IsIn(OBJECTIVE_KEYS, { each: true })
  objectiveKeys!: ObjectiveKey[];
}

@InputType({ description: 'A KPI to keep, tied to one objective of the kickoff.' })
export class KpiSelectionInput {
  @Field({ description: 'Key of a catalog KPI or one of the agency’s.' })
  @IsString()
  @MaxLength(60)
  kpiKey!: string;

  @Field(() => ObjectiveKeyEnum, { description: 'The kickoff objective the KPI measures.' })
  @IsIn(OBJECTIVE_KEYS)
  objectiveKey!: ObjectiveKey;
}

@InputType({ description: 'The KPIs kept at a kickoff; replaces the previous selection.' })
export class SelectKickoffKpisInput {
  @Field(() => ID, { description: 'Kickoff id.' })
  @IsString()
  kickoffId!: string;

  @Field(() => [KpiSelectionInput], { description: 'KPIs in plan order.' })
  @ArrayMaxSize(MAX_SELECTIONS)
  @ValidateNested({ each: true })
  @Type(() => KpiSelectionInput)
  selections!: KpiSelectionInput[];
}

@InputType({ description: 'A target for one KPI and month.' })
export class MonthlyTargetInput {
  @Field({ description: 'Key of a KPI of the kickoff.' })
  @IsString()
  @Matches(KPI_KEY, { message: 'kpiKey must be a KPI key' })
  kpiKey!: string;

  @Field(() => Int, { description: 'Month of the plan’s year, 1 (January) to 12.' })
  @IsInt()
  @Min(1, { message: 'month must be within the plan’s year (1 to 12)' })
  @Max(12, { message: 'month must be within the plan’s year (1 to 12)' })
  month!: number;

  @Field(() => Float, { description: 'Target value in the KPI’s unit (PERCENT as a fraction: 0.03 is 3 %).' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value!: number;
}

@InputType({ description: 'Monthly targets of a kickoff; each (KPI, month) given replaces its previous value.' })
export class SetKickoffTargetsInput {
  @Field(() => ID, { description: 'Kickoff id.' })
  @IsString()
  kickoffId!: string;

  @Field(() => Int, { description: 'Year of the plan.' })
  @IsInt()
  @Min(MIN_YEAR)
  @Max(MAX_YEAR)
  year!: number;

  @Field(() => [MonthlyTargetInput], { description: 'Targets.' })
  @ArrayMaxSize(12 * MAX_SELECTIONS)
  @ValidateNested({ each: true })
  @Type(() => MonthlyTargetInput)
  targets!: MonthlyTargetInput[];
}

@InputType({ description: 'Splits an annual goal of one KPI into its twelve monthly targets.' })
export class SplitKickoffAnnualTargetInput {
  @Field(() => ID, { description: 'Kickoff id.' })
  @IsString()
  kickoffId!: string;

  @Field({ description: 'Key of a KPI of the kickoff.' })
  @IsString()
  @MaxLength(60)
  kpiKey!: string;

  @Field(() => Int, { description: 'Year of the plan.' })
  @IsInt()
  @Min(MIN_YEAR)
  @Max(MAX_YEAR)
  year!: number;

  @Field(() => Float, { description: 'The annual goal: a total for FLOW KPIs, the level to hold for LEVEL KPIs.' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  annual!: number;

  @Field(() => TargetSplitModeEnum, { defaultValue: 'EVEN', description: 'EVEN, or SEASONAL to follow last year’s months.' })
  @IsIn(TARGET_SPLIT_MODES)
  mode: TargetSplitMode = 'EVEN';
}

@ArgsType()
export class KpiRecommendationsArgs {
  @Field(() => ID, { description: 'Kickoff id.' })
  @IsString()
  kickoffId!: string;

  @Field(() => LocaleEnum, { nullable: true, description: 'Language of names and reasons; default: the client’s.' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}

@ArgsType()
export class KpiPlanHistoryArgs extends PageArgs {
  @Field(() => ID, { description: 'Client id.' })
  @IsString()
  clientId!: string;
}
