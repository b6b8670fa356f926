import { registerEnumType } from '@nestjs/graphql';
import { BUSINESS_MODELS, LOCALES, type BusinessModel, type Locale } from '@pilotage/kpi';
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

export const UserRoleEnum = enumObject<UserRole>(USER_ROLES);
registerEnumType(UserRoleEnum, {
  name: 'UserRole',
  description: 'OWNER runs the agency, MANAGER is a project manager, CLIENT_VIEWER reads one client’s reports.',
});
