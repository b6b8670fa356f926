import { scorecardNotes } from './scorecard-notes';

describe(scorecardNotes.name, () => {
  it('numbers the KPIs that carry a caveat in the scorecard’s order and skips the complete ones', () => {
    const notes = scorecardNotes([
      { key: 'sessions', name: 'Sessions', coverageNote: 'Données sur 27 jours sur 31.' },
      { key: 'orders', name: 'Commandes', coverageNote: null },
      { key: 'nps', name: 'Net Promoter Score', coverageNote: 'Aucune donnée reçue sur la période.' },
      { key: 'roas', name: 'ROAS', coverageNote: '  ' },
    ]);
    expect(notes.markers).toEqual({ sessions: '1', nps: '2' });
    expect(notes.items).toEqual([
      { marker: '1', name: 'Sessions', note: 'Données sur 27 jours sur 31.' },
      { marker: '2', name: 'Net Promoter Score', note: 'Aucune donnée reçue sur la période.' },
    ]);
  });

  it('prints no notes block for a report whose data is complete', () => {
    expect(scorecardNotes([{ key: 'orders', name: 'Commandes', coverageNote: null }])).toEqual({ markers: {}, items: [] });
  });
});
