import { ArgsType, Field, ID, InputType, PartialType } from '@nestjs/graphql';
import { ArrayMaxSize, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { BUSINESS_MODELS, FORMATTING_LOCALES, LOCALES, type BusinessModel, type FormattingLocale, type Locale } from '@pilotage/kpi';
import { BusinessModelEnum, FormattingLocaleEnum, LocaleEnum } from '../../common/graphql-enums';
import { PageArgs } from '../../common/pagination';
import { REPORT_DELIVERY_MODES, type ReportDeliveryMode } from '@pilotage/database';
import { ReportDeliveryModeEnum } from '../client.model';
import { IsCurrencyCode, IsNotBlank, IsPlainText, IsTimeZone } from '../../common/validators';

export const HEX_COLOR = /^#[0-9A-Fa-f]{6}$/;

@InputType({ description: 'A new client. Locale, currency and time zone default to the agency’s.' })
export class CreateClientInput {
  @Field({ description: 'Client name.' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @IsPlainText()
  @IsNotBlank()
  name!: string;

  @Field(() => BusinessModelEnum, { description: 'Business model.' })
  @IsIn(BUSINESS_MODELS)
  businessModel!: BusinessModel;

  @Field(() => LocaleEnum, { nullable: true, description: 'Report language.' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;

  @Field(() => FormattingLocaleEnum, {
    nullable: true,
    description: 'How reports write numbers, money and dates (EN_US for an American client); the language’s default when omitted.',
  })
  @IsOptional()
  @IsIn(FORMATTING_LOCALES)
  formattingLocale?: FormattingLocale;

  @Field({ nullable: true, description: 'ISO 4217 currency.' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @Field({ nullable: true, description: 'IANA time zone.' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @Field(() => [String], { nullable: true, description: 'Report recipients (at most 20 e-mails).' })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsEmail({}, { each: true, message: 'each report recipient must be a valid e-mail address' })
  reportRecipients?: string[];

  @Field({ nullable: true, description: 'Co-brand logo printed on the report cover beside the agency’s: a base64 data URI (PNG or SVG, at most 512 KiB).' })
  @IsOptional()
  @IsString()
  @MaxLength(800_000)
  logoDataUri?: string;

  @Field({ nullable: true, description: 'Primary colour override, #RRGGBB.' })
  @IsOptional()
  @Matches(HEX_COLOR, { message: 'primaryColor must be a colour like #1F3A5F' })
  primaryColor?: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Generate the client’s WEEKLY report (per channel) every Monday; false when omitted at creation.',
  })
  @IsOptional()
  @IsBoolean()
  weeklyReportEnabled?: boolean;
}

@InputType({ description: 'Changes to a client; omitted fields stay as they are.' })
export class UpdateClientInput extends PartialType(CreateClientInput) {
  @Field(() => ID, { description: 'Client id.' })
  @IsUUID('all', { message: 'id must be a client id' })
  id!: string;

  @Field(() => ReportDeliveryModeEnum, { nullable: true, description: 'REVIEW (a project manager approves and sends) or AUTOMATIC (sent once READY).' })
  @IsOptional()
  @IsIn(REPORT_DELIVERY_MODES)
  reportDeliveryMode?: ReportDeliveryMode;

  @Field(() => ID, { nullable: true, description: 'An OWNER or MANAGER user of the agency in charge of the client; null removes it.' })
  @IsOptional()
  @IsUUID('all', { message: 'projectManagerId must be a user id' })
  projectManagerId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Let the client’s viewers see its alerts and report restatements.' })
  @IsOptional()
  @IsBoolean()
  viewerAlertsVisible?: boolean;
}

@ArgsType()
export class ClientsArgs extends PageArgs {
  @Field(() => Boolean, { defaultValue: false, description: 'Include archived clients.' })
  @IsBoolean()
  includeArchived: boolean = false;
}
