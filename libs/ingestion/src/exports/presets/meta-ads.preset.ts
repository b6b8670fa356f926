import { isoDay } from '../export-day.readers';
import type { ExportPreset } from '../export-preset.types';

type MetaRole =
  | 'campaign'
  | 'day'
  | 'starts'
  | 'ends'
  | 'account'
  | 'accountId'
  | 'attribution'
  | 'spend'
  | 'impressions'
  | 'linkClicks'
  | 'purchases'
  | 'purchaseValue'
  | 'results'
  | 'reach';

/**
 * Meta Ads Manager "Export table data" (CSV), with the Day breakdown. Column names as Ads
 * Manager writes them (Meta Business Help Center, "About metrics" / "À propos des indicateurs");
 * the currency is part of the spend header ("Amount spent (EUR)"). Results and Reach are read
 * but not stored: Results counts whatever each ad set optimises for (one "result" may be a
 * purchase, another a landing-page view), Reach is a distinct count that days cannot add up.
 */
export const META_ADS_PRESET: ExportPreset<MetaRole> = {
  id: 'META_ADS',
  name: 'Meta Ads Manager export',
  platform: 'Meta Ads',
  columns: {
    campaign: { labels: { en: ['Campaign name'], fr: ['Nom de la campagne'] }, required: true, use: 'campaign' },
    day: { labels: { en: ['Day'], fr: ['Jour'] }, use: 'date' },
    starts: { labels: { en: ['Reporting starts'], fr: ['Début des rapports'] }, use: 'date' },
    ends: { labels: { en: ['Reporting ends'], fr: ['Fin des rapports'] }, ignored: 'end of the reporting period: checked against its start' },
    account: { labels: { en: ['Account name'], fr: ['Nom du compte'] }, use: 'source' },
    accountId: { labels: { en: ['Account ID'], fr: ['Identifiant du compte', 'ID du compte'] }, use: 'source' },
    attribution: {
      labels: { en: ['Attribution setting'], fr: ['Paramètre d’attribution', "Paramètre d'attribution"] },
      ignored: 'attribution window: reported in the notes',
    },
    spend: { labels: { en: ['Amount spent (*', 'Amount spent'], fr: ['Montant dépensé (*', 'Montant dépensé'] }, required: true, use: 'ad_spend' },
    impressions: { labels: { en: ['Impressions'], fr: ['Impressions'] }, required: true, use: 'ad_impressions' },
    linkClicks: { labels: { en: ['Link clicks'], fr: ['Clics sur un lien', 'Clics sur le lien'] }, use: 'ad_clicks' },
    purchases: { labels: { en: ['Purchases'], fr: ['Achats'] }, use: 'ad_conversions' },
    purchaseValue: { labels: { en: ['Purchases conversion value'], fr: ['Valeur de conversion des achats'] }, use: 'ad_revenue' },
    results: {
      labels: { en: ['Results'], fr: ['Résultats'] },
      ignored: 'mixes result types from one ad set to the next (see "Result indicator"): purchases are stored instead',
    },
    reach: { labels: { en: ['Reach'], fr: ['Couverture'] }, ignored: 'distinct people: days cannot be added up' },
  },
  signature: ['campaign', 'spend', 'impressions'],
  open(file) {
    return (row) => {
      if (row.text('campaign') === '' && row.text('day') === '') {
        row.skip('summary row without a campaign');
        return;
      }
      let date: string | null;
      if (row.has('day')) {
        date = row.day('day', isoDay);
      } else {
        const starts = row.day('starts', isoDay);
        if (starts === null) return;
        if (row.text('ends') !== '' && row.text('ends') !== row.text('starts')) {
          row.error(
            'starts',
            'INVALID_DATE',
            `This row covers ${row.text('starts')} to ${row.text('ends')}: export it with the breakdown by Day (Breakdown > By time > Day)`,
          );
          return;
        }
        date = starts;
      }
      if (date === null) return;
      const attribution = row.text('attribution');
      if (attribution !== '') file.note(`Attribution setting: ${attribution}`);
      const account = row.text('accountId') || row.text('account');
      const source = account === '' ? undefined : `Meta Ads ${account}`;
      const campaign = row.text('campaign');
      const metrics: readonly (readonly [MetaRole, string])[] = [
        ['spend', 'ad_spend'],
        ['impressions', 'ad_impressions'],
        ['linkClicks', 'ad_clicks'],
        ['purchases', 'ad_conversions'],
        ['purchaseValue', 'ad_revenue'],
      ];
      const values = metrics.map(([role, metricKey]) => [metricKey, row.amount(role)] as const);
      for (const [metricKey, valueText] of values) {
        if (valueText !== null) row.emit({ date, metricKey, channel: 'PAID_SOCIAL', campaign, source, valueText });
      }
    };
  },
};
