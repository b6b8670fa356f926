import { reportLabels } from '../i18n/report-labels';
import type { ReportStaleSource } from '../snapshot/report-snapshot';
import { staleNotes } from './stale-notes';

const googleAds: ReportStaleSource = { provider: 'GOOGLE_ADS', accountName: 'Compte X', status: 'NEEDS_REAUTHORIZATION', dataThrough: '2026-12-02' };
const ga4: ReportStaleSource = { provider: 'GA4', accountName: '312345678', status: 'FAILING', dataThrough: null };

describe(staleNotes.name, () => {
  it('names each connection once, in French, with its last day synced and what it needs', () => {
    const kpis = [{ staleSources: [googleAds] }, { staleSources: [] }, { staleSources: [googleAds, ga4] }, {}];
    expect(staleNotes(kpis, reportLabels('fr'), { locale: 'fr', currency: 'EUR' })).toEqual([
      'Données incomplètes : la connexion Google Ads « Compte X » ne se synchronise plus depuis le 2 déc. 2026 (réautorisation nécessaire).',
      'Données incomplètes : la connexion Google Analytics 4 « 312345678 » ne s’est encore jamais synchronisée (synchronisation en échec).',
    ]);
  });

  it('writes the day as the client’s formatting locale does, in English', () => {
    const labels = reportLabels('en');
    expect(staleNotes([{ staleSources: [googleAds] }], labels, { locale: 'en', currency: 'EUR' })).toEqual([
      'Incomplete data: the Google Ads connection “Compte X” has not synced since 2 Dec 2026 (reauthorization needed).',
    ]);
    expect(staleNotes([{ staleSources: [{ ...googleAds, status: 'FAILING' }] }], labels, { locale: 'en', currency: 'USD', formattingLocale: 'en-US' })).toEqual(
      ['Incomplete data: the Google Ads connection “Compte X” has not synced since Dec 2, 2026 (sync failing).'],
    );
  });

  it('has nothing to say when every KPI is fresh (the page stays as it was)', () => {
    expect(staleNotes([{ staleSources: [] }, {}], reportLabels('fr'), { locale: 'fr', currency: 'EUR' })).toEqual([]);
  });
});
