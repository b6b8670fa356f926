import { buildAlertDigest } from './alert-digest.template';

describe(buildAlertDigest.name, () => {
  const clients = [
    {
      clientId: 'c1',
      clientName: 'Maison <Lumière>',
      alerts: [
        { severity: 'WARNING', status: 'OPEN', message: 'Sessions : aucune donnée depuis le 15 mars (5 jours)', isNew: false },
        { severity: 'CRITICAL', status: 'OPEN', message: 'Sessions hors trajectoire : 9 500 pour un objectif de 19 000 à date (mars 2026)', isNew: true },
      ],
    },
    { clientId: 'c2', clientName: 'Atelier', alerts: [{ severity: 'WARNING', status: 'OPEN', message: 'Coût par clic inhabituel', isNew: true }] },
  ];

  it('counts the new alerts in the subject, in the agency’s language', () => {
    expect(buildAlertDigest({ locale: 'fr', agencyName: 'Agence', clients, publicUrl: 'https://app.example' }).subject).toBe(
      '2 nouvelles alertes sur vos clients',
    );
    expect(buildAlertDigest({ locale: 'en', agencyName: 'Agency', clients: clients.slice(1), publicUrl: 'https://app.example' }).subject).toBe(
      '1 new alert on your clients',
    );
  });

  it('groups the alerts by client, new ones first, and escapes names and messages in HTML', () => {
    const digest = buildAlertDigest({ locale: 'fr', agencyName: 'Agence', clients, publicUrl: 'https://app.example' });
    const lines = digest.text.split('\n');
    const first = lines.indexOf('Maison <Lumière>');
    expect(lines.slice(first, first + 3)).toEqual([
      'Maison <Lumière>',
      '- Sessions hors trajectoire : 9 500 pour un objectif de 19 000 à date (mars 2026) (nouvelle, critique)',
      '- Sessions : aucune donnée depuis le 15 mars (5 jours) (toujours ouverte)',
    ]);
    expect(lines).toContain('Atelier');
    expect(digest.html).toContain('<h3>Maison &lt;Lumière&gt;</h3>');
    expect(digest.html).not.toContain('<Lumière>');
    expect(digest.text).toContain('Ouvrir Pilotage: https://app.example');
  });
});
