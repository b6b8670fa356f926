import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { REPORT_DELIVERY_MODES, type ReportDeliveryMode } from '@pilotage/database';
import { enumObject } from '../common/graphql-enums';
import type { BusinessModel, FormattingLocale, Locale } from '@pilotage/kpi';
import { BusinessModelEnum, FormattingLocaleEnum, LocaleEnum } from '../common/graphql-enums';

export const ReportDeliveryModeEnum = enumObject<ReportDeliveryMode>(REPORT_DELIVERY_MODES);
registerEnumType(ReportDeliveryModeEnum, {
  name: 'ReportDeliveryMode',
  description:
    'REVIEW: a scheduled report waits for a project manager to approve and send it. AUTOMATIC: it is approved by the system and sent as soon as it is READY.',
});
import { Connection } from '../common/pagination';

@ObjectType({ description: 'A client of the agency, whose marketing the agency reports on.' })
export class Client {
  @Field(() => ID, { description: 'Client id.' })
  id!: string;

  @Field({ description: 'Client name, as printed on reports.' })
  name!: string;

  @Field(() => BusinessModelEnum, { description: 'Business model.' })
  businessModel!: BusinessModel;

  @Field(() => LocaleEnum, { description: 'Language of the client’s reports.' })
  locale!: Locale;

  @Field(() => FormattingLocaleEnum, {
    description: 'How the client’s reports write numbers, money and dates; the language’s default (FR_FR, EN_GB) unless set.',
  })
  formattingLocale!: FormattingLocale;

  @Field({ description: 'ISO 4217 currency of the client’s money figures.' })
  currency!: string;

  @Field({ description: 'IANA time zone: days, months and report schedules follow it.' })
  timeZone!: string;

  @Field(() => [String], { description: 'E-mail addresses that receive the reports.' })
  reportRecipients!: string[];

  @Field(() => String, { nullable: true, description: 'Co-brand logo as a data URI.' })
  logoDataUri!: string | null;

  @Field(() => String, { nullable: true, description: 'Overrides the agency’s primary colour on this client’s reports.' })
  primaryColor!: string | null;

  @Field({
    description:
      'Whether the client gets a WEEKLY report (per channel) every Monday, once the week has settled in its time zone (REPORT_WEEKLY_SETTLE_HOURS). Off unless the agency turns it on.',
  })
  weeklyReportEnabled!: boolean;

  @Field(() => ReportDeliveryModeEnum, {
    description: 'Whether scheduled reports wait for a project manager (REVIEW, the default) or are sent on their own (AUTOMATIC).',
  })
  reportDeliveryMode!: ReportDeliveryMode;

  @Field(() => ID, { nullable: true, description: 'The agency user (OWNER or MANAGER) in charge of the client: gets its alerts digest.' })
  projectManagerId!: string | null;

  @Field({ description: 'Whether the client’s viewers see its alerts and report restatements. Off unless the agency turns it on.' })
  viewerAlertsVisible!: boolean;

  @Field({ description: 'Archived clients get no reports and are hidden from lists by default.' })
  archived!: boolean;

  @Field({ description: 'Creation time.' })
  createdAt!: Date;

  @Field({ description: 'Last change.' })
  updatedAt!: Date;
}

@ObjectType({ description: 'A page of clients, oldest first.' })
export class ClientConnection extends Connection(Client, 'Client') {}
