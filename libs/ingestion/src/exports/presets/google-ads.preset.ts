import { normalizeHeaderName } from '../../metric-csv-layout.detector';
import type { Channel } from '../export-channel';
import { isoDay } from '../export-day.readers';
import type { ExportPreset } from '../export-preset.types';
import { currencyGuard, isTotalsLabel, labelTable } from './preset-support';

type GoogleAdsRole = 'day' | 'campaign' | 'campaignType' | 'account' | 'currency' | 'cost' | 'clicks' | 'impressions' | 'conversions' | 'conversionValue';

/**
 * Campaign types (Google Ads "Campaign type" / "Type de campagne") and our channel. Search,
 * Shopping and Performance Max are bought on search intent: PAID_SEARCH, as the Google Ads
 * campaign report groups them. Display, Video, Demand Gen and App campaigns are neither search
 * nor a social network (GA4 gives them their own "Display" and "Paid Video" groups, which our
 * list does not have): OTHER, so that they do not dilute the cost per acquisition of search.
 */
const CAMPAIGN_TYPES = labelTable<Channel>([
  [['Search', 'Recherche', 'Réseau de Recherche', 'Shopping', 'Performance Max'], 'PAID_SEARCH'],
  [['Display', 'Réseau Display', 'Video', 'Vidéo', 'Demand Gen', 'Discovery', 'App', 'Application', 'Applications'], 'OTHER'],
]);

/**
 * Our channel for a Google Ads campaign type, as the UI writes it ("Performance Max") or as the
 * API's `campaign.advertising_channel_type` enum does (PERFORMANCE_MAX); a report without the
 * column is a search report: PAID_SEARCH.
 */
export function googleAdsChannelOf(campaignType: string): Channel {
  if (campaignType.trim() === '') return 'PAID_SEARCH';
  return CAMPAIGN_TYPES.get(normalizeHeaderName(campaignType.replace(/_/g, ' '))) ?? 'OTHER';
}

/**
 * Google Ads campaign report as the UI downloads it (Reports > Campaigns > Download > CSV):
 * a title line and a date-range line above the header, one row per day and campaign when
 * segmented by Day, and "Total: ..." rows at the bottom. Column names from the Google Ads
 * report editor (Help Center "Columns in Google Ads reports"), French UI in the French help.
 */
export const GOOGLE_ADS_PRESET: ExportPreset<GoogleAdsRole> = {
  id: 'GOOGLE_ADS',
  name: 'Google Ads campaign report',
  platform: 'Google Ads',
  columns: {
    day: { labels: { en: ['Day', 'Date'], fr: ['Jour', 'Date'] }, required: true, use: 'date' },
    campaign: { labels: { en: ['Campaign'], fr: ['Campagne'] }, required: true, use: 'campaign' },
    campaignType: { labels: { en: ['Campaign type'], fr: ['Type de campagne'] }, use: 'channel' },
    account: { labels: { en: ['Customer ID', 'Account', 'Account name'], fr: ['ID client', 'Compte', 'Nom du compte'] }, use: 'source' },
    currency: {
      labels: { en: ['Currency code', 'Currency'], fr: ['Code de la devise', 'Code devise', 'Devise'] },
      ignored: 'a label: amounts must all be in one currency (checked)',
    },
    cost: { labels: { en: ['Cost'], fr: ['Coût'] }, required: true, use: 'ad_spend' },
    clicks: { labels: { en: ['Clicks'], fr: ['Clics'] }, required: true, use: 'ad_clicks' },
    impressions: { labels: { en: ['Impr.', 'Impressions'], fr: ['Impr.', 'Impressions'] }, required: true, use: 'ad_impressions' },
    conversions: { labels: { en: ['Conversions'], fr: ['Conversions'] }, use: 'ad_conversions' },
    conversionValue: {
      labels: { en: ['Conv. value', 'Conversion value', 'Total conv. value'], fr: ['Valeur de conv.', 'Valeur de conversion', 'Valeur totale de conv.'] },
      use: 'ad_revenue',
    },
  },
  signature: ['campaign', 'cost', 'clicks', 'impressions'],
  preamble(records, file) {
    const [title, period] = records.map((record) => record.cells.filter((cell) => cell.trim() !== '').join(', '));
    if (title !== undefined) file.note(`Report: ${title}`);
    if (period !== undefined) file.note(`Period: ${period}`);
    return { account: null };
  },
  open(file) {
    const sameCurrency = currencyGuard(file, 'currency');
    return (row) => {
      if (isTotalsLabel(row.text('day')) || isTotalsLabel(row.text('campaign'))) {
        row.skip('totals row (Google Ads writes them below the data)');
        return;
      }
      const date = row.day('day', isoDay);
      if (!sameCurrency(row) || date === null) return;
      const channel = googleAdsChannelOf(row.text('campaignType'));
      const account = row.text('account');
      const source = account === '' ? undefined : `Google Ads ${account}`;
      const campaign = row.text('campaign');
      const metrics: readonly (readonly [GoogleAdsRole, string])[] = [
        ['cost', 'ad_spend'],
        ['clicks', 'ad_clicks'],
        ['impressions', 'ad_impressions'],
        ['conversions', 'ad_conversions'],
        ['conversionValue', 'ad_revenue'],
      ];
      const values = metrics.map(([role, metricKey]) => [metricKey, row.amount(role)] as const);
      for (const [metricKey, valueText] of values) {
        if (valueText !== null) row.emit({ date, metricKey, channel, campaign, source, valueText });
      }
    };
  },
};
