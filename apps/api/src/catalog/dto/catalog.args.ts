import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { BUSINESS_MODELS, FUNNEL_STAGES, LOCALES, type BusinessModel, type FunnelStage, type Locale } from '@pilotage/kpi';
import { BusinessModelEnum, LocaleEnum } from '../../common/graphql-enums';
import { FunnelStageEnum } from '../../common/kpi-enums';

@ArgsType()
export class CatalogArgs {
  @Field(() => LocaleEnum, { nullable: true, description: 'Language of the texts; default: the client’s when clientId is given, else the agency’s.' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;

  @Field(() => ID, { nullable: true, description: 'Client whose language the texts default to.' })
  @IsOptional()
  @IsUUID('all', { message: 'clientId must be a client id' })
  clientId?: string;
}

@ArgsType()
export class KpiCatalogArgs extends CatalogArgs {
  @Field(() => FunnelStageEnum, { nullable: true, description: 'Only KPIs of this funnel stage.' })
  @IsOptional()
  @IsIn(FUNNEL_STAGES)
  stage?: FunnelStage;

  @Field(() => BusinessModelEnum, { nullable: true, description: 'Only KPIs relevant to this business model on their own.' })
  @IsOptional()
  @IsIn(BUSINESS_MODELS)
  businessModel?: BusinessModel;
}
