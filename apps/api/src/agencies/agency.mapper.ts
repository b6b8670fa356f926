import type { AgencyEntity } from '@pilotage/database';
import type { Agency } from './agency.model';

export function toAgencyModel(entity: AgencyEntity): Agency {
  return {
    id: entity.id,
    name: entity.name,
    slug: entity.slug,
    defaultLocale: entity.defaultLocale,
    currency: entity.currency,
    timeZone: entity.timeZone,
    branding: {
      logoDataUri: entity.logoDataUri,
      primaryColor: entity.primaryColor,
      accentColor: entity.accentColor,
      fontFamily: entity.fontFamily,
      footerText: entity.footerText,
    },
  };
}
