import type { ExportPreset, ExportPresetId } from './export-preset.types';
import { BREVO_PRESET, MAILCHIMP_PRESET } from './presets/email.preset';
import { GA4_PRESET } from './presets/ga4.preset';
import { GOOGLE_ADS_PRESET } from './presets/google-ads.preset';
import { META_ADS_PRESET } from './presets/meta-ads.preset';
import { SEARCH_CONSOLE_PRESET } from './presets/search-console.preset';
import { SHOPIFY_PRESET } from './presets/shopify.preset';
import { STRIPE_BALANCE_PRESET, STRIPE_PAYMENTS_PRESET } from './presets/stripe.preset';

/** Every platform export recognised, in the order they are tried (the best header match wins). */
export const EXPORT_PRESETS: readonly ExportPreset[] = [
  GOOGLE_ADS_PRESET,
  META_ADS_PRESET,
  GA4_PRESET,
  SEARCH_CONSOLE_PRESET,
  SHOPIFY_PRESET,
  STRIPE_PAYMENTS_PRESET,
  STRIPE_BALANCE_PRESET,
  MAILCHIMP_PRESET,
  BREVO_PRESET,
];

const BY_ID: ReadonlyMap<string, ExportPreset> = new Map(EXPORT_PRESETS.map((preset) => [preset.id, preset]));

export function findExportPreset(id: ExportPresetId): ExportPreset | undefined {
  return BY_ID.get(id);
}
