import { Field, ID, ObjectType } from '@nestjs/graphql';
import { LocaleEnum } from '../common/graphql-enums';
import type { Locale } from '@pilotage/kpi';

@ObjectType({ description: 'The branding applied to every report of an agency.' })
export class AgencyBranding {
  @Field(() => String, { nullable: true, description: 'Logo as a data URI (PNG or SVG).' })
  logoDataUri!: string | null;

  @Field({ description: 'Primary colour, #RRGGBB.' })
  primaryColor!: string;

  @Field({ description: 'Accent colour, #RRGGBB.' })
  accentColor!: string;

  @Field({ description: 'Report font family, one of the bundled fonts.' })
  fontFamily!: string;

  @Field(() => String, { nullable: true, description: 'Text printed in every report footer.' })
  footerText!: string | null;
}

@ObjectType({ description: 'A digital marketing agency: a tenant of Pilotage.' })
export class Agency {
  @Field(() => ID, { description: 'Agency id.' })
  id!: string;

  @Field({ description: 'Agency name.' })
  name!: string;

  @Field({ description: 'Unique short name, used to pick the agency at login.' })
  slug!: string;

  @Field(() => LocaleEnum, { description: 'Default language of new clients.' })
  defaultLocale!: Locale;

  @Field({ description: 'Default ISO 4217 currency of new clients.' })
  currency!: string;

  @Field({ description: 'Default IANA time zone of new clients.' })
  timeZone!: string;

  @Field(() => AgencyBranding, { description: 'Report branding.' })
  branding!: AgencyBranding;
}
