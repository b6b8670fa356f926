import { registerEnumType } from '@nestjs/graphql';
import { BUSINESS_MODELS, LOCALES, type BusinessModel, type FormattingLocale, type Locale } from '@pilotage/kpi';
import { USER_ROLES, type UserRole } from '@pilotage/database';

/** Turns a `as const` list into the object form GraphQL enums are registered from. */
export function enumObject<T extends string>(values: readonly T[]): { [K in T]: K } {
  return Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };
}

export const BusinessModelEnum = enumObject<BusinessModel>(BUSINESS_MODELS);
registerEnumType(BusinessModelEnum, {
  name: 'BusinessModel',
  description: 'How the client makes money; drives which KPIs the kickoff proposes.',
});

export const LocaleEnum = enumObject<Locale>(LOCALES);
registerEnumType(LocaleEnum, { name: 'Locale', description: 'Language of reports and catalog texts.' });

/** GraphQL names cannot hold a hyphen: FR_FR stands for the BCP 47 tag 'fr-FR'. */
export const FormattingLocaleEnum: { readonly FR_FR: 'fr-FR'; readonly EN_GB: 'en-GB'; readonly EN_US: 'en-US' } = {
  FR_FR: 'fr-FR',
  EN_GB: 'en-GB',
  EN_US: 'en-US',
} satisfies Record<string, FormattingLocale>;
registerEnumType(FormattingLocaleEnum, {
  name: 'FormattingLocale',
  description: 'How reports write numbers, money and dates: FR_FR "1 234,5 €", EN_GB "5 October 2026", EN_US "$468,153" and "October 5, 2026".',
});

export const UserRoleEnum = enumObject<UserRole>(USER_ROLES);
registerEnumType(UserRoleEnum, {
  name: 'UserRole',
  description: 'OWNER runs the agency, MANAGER is a project manager, CLIENT_VIEWER reads one client’s reports.',
});
