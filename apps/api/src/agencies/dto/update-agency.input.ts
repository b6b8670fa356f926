import { Field, InputType } from '@nestjs/graphql';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { LOCALES, type Locale } from '@pilotage/kpi';
import { LocaleEnum } from '../../common/graphql-enums';
import { IsCurrencyCode, IsNotBlank, IsPlainText, IsTimeZone } from '../../common/validators';
import { HEX_COLOR } from '../../clients/dto/client.inputs';

/** Fonts bundled with the report templates (nothing is fetched at render time). */
export const REPORT_FONTS = ['Inter', 'Source Sans 3', 'Montserrat', 'Merriweather', 'Lato'] as const;

@InputType({ description: 'Changes to the agency; omitted fields stay as they are.' })
export class UpdateAgencyInput {
  @Field({ nullable: true, description: 'Agency name.' })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  @IsPlainText()
  @IsNotBlank()
  name?: string;

  @Field(() => LocaleEnum, { nullable: true, description: 'Default report language of new clients.' })
  @IsOptional()
  @IsIn(LOCALES)
  defaultLocale?: Locale;

  @Field({ nullable: true, description: 'Default ISO 4217 currency.' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @Field({ nullable: true, description: 'Default IANA time zone.' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @Field({ nullable: true, description: 'Logo as a base64 data URI (PNG or SVG, at most 512 KiB).' })
  @IsOptional()
  @IsString()
  @MaxLength(800_000)
  logoDataUri?: string;

  @Field({ nullable: true, description: 'Primary colour, #RRGGBB.' })
  @IsOptional()
  @Matches(HEX_COLOR, { message: 'primaryColor must be a colour like #1F3A5F' })
  primaryColor?: string;

  @Field({ nullable: true, description: 'Accent colour, #RRGGBB.' })
  @IsOptional()
  @Matches(HEX_COLOR, { message: 'accentColor must be a colour like #E07A5F' })
  accentColor?: string;

  @Field({ nullable: true, description: `Report font: ${REPORT_FONTS.join(', ')}.` })
  @IsOptional()
  @IsIn(REPORT_FONTS, { message: `fontFamily must be one of ${REPORT_FONTS.join(', ')}` })
  fontFamily?: string;

  @Field({ nullable: true, description: 'Footer text of every report page (at most 200 characters).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsPlainText()
  footerText?: string;
}
