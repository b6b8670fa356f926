import type { AnomalyFinding } from './detect-anomaly';
import type { NoDataFinding } from './detect-no-data';
import type { StatusFinding } from './status-alert';
import { alertMessage } from './alert-message';

// The caller's formatters; kept plain so that the expected sentences are readable.
const percentFr = (value: number): string => `${(value * 100).toFixed(1).replace('.', ',')} %`;
const percentEn = (value: number): string => `${(value * 100).toFixed(1)}%`;
const euroFr = (value: number): string => `${value.toFixed(2).replace('.', ',')} €`;
const euroEn = (value: number): string => `€${value.toFixed(2)}`;

const offTrack: StatusFinding = {
  rule: 'STATUS',
  status: 'OFF_TRACK',
  severity: 'CRITICAL',
  month: '2026-03',
  value: 0.012,
  target: 0.02,
  expected: 0.02,
  attainment: 0.6,
  elapsedFraction: 11 / 31,
};
const noData: NoDataFinding = { rule: 'NO_DATA', lastDate: '2026-03-11', missingDays: 3, expectedFrom: '2026-03-12' };
const spike: AnomalyFinding = {
  rule: 'ANOMALY',
  date: '2026-03-12',
  value: 2.4,
  median: 1.1,
  mad: 0.14,
  score: 6.08,
  direction: 'UP',
  sample: 8,
  threshold: 3.5,
};

describe('alertMessage', () => {
  it('tells a status alert with the target to date inside the month', () => {
    expect(alertMessage(offTrack, { locale: 'fr', kpiName: 'Taux de conversion', format: percentFr })).toBe(
      'Taux de conversion hors trajectoire : 1,2 % pour un objectif de 2,0 % à date (mars 2026)',
    );
    expect(alertMessage(offTrack, { locale: 'en', kpiName: 'Conversion rate', format: percentEn })).toBe(
      'Conversion rate off track: 1.2% against a target of 2.0% to date (March 2026)',
    );
  });

  it('tells a finished month against the full target, and an at-risk one as such', () => {
    const closed: StatusFinding = { ...offTrack, status: 'AT_RISK', severity: 'WARNING', value: 0.019, expected: 0.02, elapsedFraction: 1 };
    expect(alertMessage(closed, { locale: 'fr', kpiName: 'Taux de conversion', format: percentFr })).toBe(
      'Taux de conversion à risque : 1,9 % pour un objectif de 2,0 % (mars 2026)',
    );
    const paced: StatusFinding = { ...offTrack, value: 800, target: 3100, expected: 1000 };
    expect(alertMessage(paced, { locale: 'en', kpiName: 'Sessions', format: String })).toBe(
      'Sessions off track: 800 against a target of 1000 to date (March 2026)',
    );
  });

  it('tells a no-data alert from its first missing day', () => {
    expect(alertMessage(noData, { locale: 'fr', kpiName: 'Sessions', format: String })).toBe('Sessions : aucune donnée depuis le 12 mars (3 jours)');
    expect(alertMessage(noData, { locale: 'en', kpiName: 'Sessions', format: String })).toBe('Sessions: no data since 12 March (3 days)');
    expect(alertMessage({ ...noData, missingDays: 1 }, { locale: 'fr', kpiName: 'Sessions', format: String })).toBe(
      'Sessions : aucune donnée depuis le 12 mars (1 jour)',
    );
  });

  it('tells an anomaly with the usual value of that weekday and the score', () => {
    expect(alertMessage(spike, { locale: 'fr', kpiName: 'Coût par clic', format: euroFr })).toBe(
      "Coût par clic inhabituel le 12 mars : 2,40 € contre 1,10 € d'habitude le jeudi (score 6,1)",
    );
    expect(alertMessage(spike, { locale: 'en', kpiName: 'Cost per click', format: euroEn })).toBe(
      'Cost per click unusual on 12 March: €2.40 against a usual €1.10 on Thursdays (score 6.1)',
    );
    // 2026-03-15 is a Sunday.
    expect(alertMessage({ ...spike, date: '2026-03-15' }, { locale: 'fr', kpiName: 'Coût par clic', format: euroFr })).toContain("d'habitude le dimanche");
  });
});

describe('alertMessage with a malformed finding', () => {
  it('names the date it cannot read', () => {
    expect(() => alertMessage({ ...noData, expectedFrom: '2026-03-32' }, { locale: 'en', kpiName: 'Sessions', format: String })).toThrow(
      "'2026-03-32' is not a calendar date",
    );
  });
});
