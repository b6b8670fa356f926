import { fromScaled, multiplyScaled, toScaled } from '../export-decimal';
import { isoDay } from '../export-day.readers';
import type { ExportPreset } from '../export-preset.types';

type SearchConsoleRole = 'date' | 'clicks' | 'impressions' | 'ctr' | 'position';

/**
 * Google Search Console performance report, "Dates" table (Export > Download CSV gives one file
 * per tab: Dates.csv is the one with a date). Only additive counts are stored: clicks,
 * impressions, and position × impressions, so that a month's average position is
 * Σ(position × impressions) / Σ impressions — weighted by impressions as Search Console
 * computes it over a period ("Performance report metrics": average position of the topmost
 * result, averaged over impressions). The CTR is recomputed from clicks and impressions.
 */
export const SEARCH_CONSOLE_PRESET: ExportPreset<SearchConsoleRole> = {
  id: 'SEARCH_CONSOLE',
  name: 'Google Search Console performance export',
  platform: 'Google Search Console',
  columns: {
    date: { labels: { en: ['Date'], fr: ['Date'] }, required: true, use: 'date' },
    clicks: { labels: { en: ['Clicks'], fr: ['Clics'] }, required: true, use: 'search_clicks' },
    impressions: { labels: { en: ['Impressions'], fr: ['Impressions'] }, required: true, use: 'search_impressions' },
    ctr: { labels: { en: ['CTR'], fr: ['CTR'] }, ignored: 'a ratio: recomputed from clicks and impressions' },
    position: { labels: { en: ['Position'], fr: ['Position'] }, required: true, use: 'search_position_weighted (position × impressions)' },
  },
  signature: ['clicks', 'impressions', 'position'],
  open() {
    return (row) => {
      const date = row.day('date', isoDay);
      const clicks = row.amount('clicks');
      const impressions = row.amount('impressions');
      const position = row.amount('position');
      if (date === null) return;
      const base = { date, channel: 'ORGANIC_SEARCH', campaign: '' } as const;
      if (clicks !== null) row.emit({ ...base, metricKey: 'search_clicks', valueText: clicks });
      if (impressions !== null) row.emit({ ...base, metricKey: 'search_impressions', valueText: impressions });
      if (impressions !== null && position !== null) {
        const weighted = fromScaled(multiplyScaled(toScaled(position), toScaled(impressions)), 4);
        row.emit({ ...base, metricKey: 'search_position_weighted', valueText: weighted });
      }
    };
  },
};
