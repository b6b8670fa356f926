import type { Channel } from '../export-channel';
import { compactDay, isoDay } from '../export-day.readers';
import type { DayReading, ExportPreset } from '../export-preset.types';
import { channelFromLabel } from '../export-file.parser';
import { isTotalsLabel, labelTable, subtractDecimals } from './preset-support';

type Ga4Role = 'channelGroup' | 'date' | 'campaign' | 'sessions' | 'engagedSessions' | 'newUsers' | 'users' | 'keyEvents' | 'revenue';

/**
 * GA4's default channel groups (Analytics Help "[GA4] Default channel group"; French labels as
 * the French UI writes them) and ours. Shopping traffic, paid or organic, comes from product
 * listings: MARKETPLACE. Groups our fixed list has no place for (Organic Social, Display,
 * Video, Affiliates, Audio, SMS, Push, Cross-network, Unassigned) are OTHER, and noted.
 */
const CHANNEL_GROUPS = labelTable<Channel>([
  [['Organic Search', 'Recherche organique', 'Recherche naturelle'], 'ORGANIC_SEARCH'],
  [['Paid Search', 'Recherche payante', 'Recherche sponsorisée'], 'PAID_SEARCH'],
  [['Paid Social', 'Réseaux sociaux payants', 'Social payant'], 'PAID_SOCIAL'],
  [['Email', 'E-mail', 'Messagerie'], 'EMAIL'],
  [['Direct'], 'DIRECT'],
  [['Referral', 'Site référent', 'Sites référents', 'Référent', 'Référence'], 'REFERRAL'],
  [['Organic Shopping', 'Paid Shopping', 'Shopping naturel', 'Shopping organique', 'Shopping payant'], 'MARKETPLACE'],
]);

/**
 * Our channel for a GA4 default channel group as GA4 names it (the UI's labels, English or
 * French, and the Data API's `sessionDefaultChannelGroup` values); OTHER when we have no such channel.
 */
export function ga4ChannelOf(channelGroup: string): Channel {
  return channelFromLabel(channelGroup, CHANNEL_GROUPS, 'OTHER');
}

/** GA4's placeholder campaigns ("(not set)", "(direct)", "(organic)", "(referral)") are no campaign: ''. */
export function ga4CampaignOf(sessionCampaign: string): string {
  return sessionCampaign.replace(/^\((not set|direct|organic|referral)\)$/, '');
}

function ga4Day(text: string): DayReading {
  return /^\d{8}$/.test(text) ? compactDay(text) : isoDay(text);
}

/** `# Property: Demo Shop` / `# Propriété : Demo Shop` → "Demo Shop". */
function commentValue(cells: readonly string[], names: readonly string[]): string | null {
  const line = cells.join(',').replace(/^#\s*/, '');
  const colon = line.indexOf(':');
  if (colon === -1) return null;
  const name = line.slice(0, colon).trim().toLowerCase();
  return names.includes(name) ? line.slice(colon + 1).trim() : null;
}

/**
 * GA4 report or exploration downloaded as CSV (Share this report > Download file > CSV), e.g.
 * Traffic acquisition with the Date dimension added. GA4 writes a `#` comment preamble
 * (account, property, start and end dates as yyyymmdd) and dates as yyyymmdd. Bounced sessions
 * are sessions minus engaged sessions, GA4's own definition of a bounce; the rate is never
 * stored. Users are a distinct count that days cannot add up (only new users are additive).
 */
export const GA4_PRESET: ExportPreset<Ga4Role> = {
  id: 'GA4',
  name: 'GA4 traffic acquisition export',
  platform: 'GA4',
  columns: {
    channelGroup: {
      labels: {
        en: ['Session primary channel group*', 'Session default channel group*', 'Session channel group*'],
        fr: ['Groupe de canaux principal de la session*', 'Groupe de canaux par défaut de la session*', 'Groupe de canaux de la session*'],
      },
      required: true,
      use: 'channel',
    },
    date: { labels: { en: ['Date'], fr: ['Date'] }, required: true, use: 'date' },
    campaign: { labels: { en: ['Session campaign'], fr: ['Campagne de la session'] }, use: 'campaign' },
    sessions: { labels: { en: ['Sessions'], fr: ['Sessions'] }, required: true, use: 'sessions' },
    engagedSessions: { labels: { en: ['Engaged sessions'], fr: ['Sessions avec engagement'] }, use: 'bounced_sessions (sessions − engaged sessions)' },
    newUsers: { labels: { en: ['New users'], fr: ['Nouveaux utilisateurs'] }, use: 'new_visitors' },
    users: {
      labels: {
        en: ['Total users', 'Active users', 'Users'],
        fr: ['Nombre total d’utilisateurs', "Nombre total d'utilisateurs", 'Utilisateurs actifs', 'Utilisateurs'],
      },
      ignored: 'distinct users: days and channels cannot be added up',
    },
    keyEvents: {
      labels: { en: ['Key events', 'Conversions'], fr: ['Événements clés', 'Conversions'] },
      ignored: 'GA4 key events are whatever the property marks: import them with a saved mapping to the metric they stand for',
    },
    revenue: {
      labels: { en: ['Total revenue'], fr: ['Revenu total', 'Chiffre d’affaires total', "Chiffre d'affaires total"] },
      ignored: 'revenue is imported from the shop or payment export, not counted twice',
    },
  },
  signature: ['channelGroup', 'sessions'],
  commentLines: true,
  preamble(records, file) {
    let property: string | null = null;
    let start: string | null = null;
    let end: string | null = null;
    for (const { cells } of records) {
      property ??= commentValue(cells, ['property', 'propriété', 'propriete']);
      start ??= commentValue(cells, ['start date', 'date de début', 'date de debut']);
      end ??= commentValue(cells, ['end date', 'date de fin']);
      const account = commentValue(cells, ['account', 'compte']);
      if (account !== null) file.note(`Account: ${account}`);
    }
    if (start !== null && end !== null) file.note(`Period: ${start} – ${end}`);
    return { account: property === null || property === '' ? null : property };
  },
  open(file) {
    return (row) => {
      const label = row.text('channelGroup');
      if (isTotalsLabel(label)) {
        row.skip('totals row');
        return;
      }
      const date = row.day('date', ga4Day);
      const sessions = row.amount('sessions');
      const engaged = row.amount('engagedSessions');
      const newUsers = row.amount('newUsers');
      if (date === null) return;
      const channel = ga4ChannelOf(label);
      if (channel === 'OTHER') file.note(`GA4 channel group "${label}" counted as OTHER (no such channel in the fixed list)`);
      const campaign = ga4CampaignOf(row.text('campaign'));
      if (sessions !== null) row.emit({ date, metricKey: 'sessions', channel, campaign, valueText: sessions });
      if (sessions !== null && engaged !== null) {
        const bounced = subtractDecimals(sessions, engaged);
        if (bounced.startsWith('-')) {
          row.error('engagedSessions', 'NEGATIVE_VALUE', `Engaged sessions (${engaged}) exceed sessions (${sessions})`);
          return;
        }
        row.emit({ date, metricKey: 'bounced_sessions', channel, campaign, valueText: bounced });
      }
      if (newUsers !== null) row.emit({ date, metricKey: 'new_visitors', channel, campaign, valueText: newUsers });
    };
  },
};
