import { demoReportSnapshot } from '../snapshot/demo-snapshot';
import type { KpiChange, ReportKpi, ReportSnapshot } from '../snapshot/report-snapshot';
import { draftNarrative } from './narrative.drafter';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

function points(value: number): KpiChange {
  return { kind: 'POINTS', absolute: value / 100, percent: null, points: value };
}
function percent(value: number): KpiChange {
  return { kind: 'PERCENT', absolute: value, percent: value, points: null };
}

/** A snapshot with only the given KPIs, everything else from the demo. */
function withKpis(locale: 'fr' | 'en', ...kpis: Partial<ReportKpi>[]): ReportSnapshot {
  const base = demoReportSnapshot({ client: { locale } });
  const template = base.kpis.find((kpi) => kpi.key === 'conversion_rate');
  if (template === undefined) throw new Error('demo snapshot lost its conversion rate');
  return { ...base, kpis: kpis.map((overrides) => ({ ...template, ...overrides })) };
}

describe('draftNarrative', () => {
  it('says a rate change in points, in French, with the month and the target', () => {
    const snapshot = withKpis('fr', { mom: { value: 0.024, change: points(0.4) }, status: 'ON_TRACK', attainment: 1.14 });
    expect(draftNarrative(snapshot)).toContain(`Le taux de conversion gagne 0,4${NBSP}pt sur septembre et dépasse l'objectif.`);
  });

  it('says the same in English', () => {
    const snapshot = withKpis('en', { mom: { value: 0.024, change: points(0.4) }, status: 'ON_TRACK', attainment: 1.14 });
    expect(draftNarrative(snapshot)).toContain('Conversion rate gains 0.4\u00a0pt on September and beats the target.');
  });

  it('treats a falling cost as good news', () => {
    const snapshot = withKpis('fr', {
      key: 'cpl',
      name: 'Coût par lead',
      subject: { text: 'le coût par lead', plural: false },
      unit: 'CURRENCY',
      direction: 'LOWER_IS_BETTER',
      value: 18,
      target: 20,
      attainment: 20 / 18,
      status: 'ON_TRACK',
      mom: { value: 19.6, change: percent(-0.082) },
    });
    const [, goodNews, watch] = draftNarrative(snapshot);
    expect(goodNews).toBe(`Le coût par lead baisse de 8,2${NNBSP}% sur septembre et reste sous l'objectif.`);
    expect(watch).toBeUndefined();
  });

  it('puts a rising abandonment rate among the points to watch, without calling it a gain', () => {
    const snapshot = withKpis('fr', {
      subject: { text: "le taux d'abandon de panier", plural: false },
      direction: 'LOWER_IS_BETTER',
      value: 0.712,
      target: 0.68,
      attainment: 0.68 / 0.712,
      status: 'AT_RISK',
      mom: { value: 0.696, change: points(1.6) },
    });
    const paragraphs = draftNarrative(snapshot);
    expect(paragraphs).toHaveLength(2);
    expect(paragraphs[1]).toBe(`Le taux d'abandon de panier augmente de 1,6${NBSP}pt sur septembre et reste au-dessus de l'objectif (68,0${NNBSP}%).`);
  });

  it('agrees the verb with a plural subject and says "mais" when the trend and the target disagree', () => {
    const snapshot = withKpis('fr', {
      subject: { text: 'les commandes parrainées', plural: true },
      unit: 'COUNT',
      value: 186,
      target: 220,
      attainment: 186 / 220,
      status: 'OFF_TRACK',
      mom: { value: 168, change: percent(0.107) },
    });
    expect(draftNarrative(snapshot)[1]).toBe(
      `Les commandes parrainées progressent de 10,7${NNBSP}% sur septembre mais n'atteignent que 85${NNBSP}% de l'objectif.`,
    );
  });

  it('falls back to a form without grammar when the KPI has no subject', () => {
    const snapshot = withKpis('en', { name: 'Custom KPI', subject: null, mom: { value: 0.024, change: points(0.4) }, status: 'ON_TRACK', attainment: 1.14 });
    expect(draftNarrative(snapshot)[1]).toBe(`Custom KPI: +0.4${NBSP}pt on September, above target.`);
  });

  it('drafts an overview, good news, watch points and data gaps for the demo client', () => {
    const paragraphs = draftNarrative(demoReportSnapshot());
    expect(paragraphs).toHaveLength(4);
    expect(paragraphs[0]).toMatch(/^En octobre 2026, \d+ indicateurs sur 11 atteignent leur objectif/);
    expect(paragraphs[3]).toContain("Aucune donnée n'a été reçue pour le Net Promoter Score sur la période.");
    expect(paragraphs[3]).toContain(`Durée moyenne de session${NBSP}: données sur 27 jours sur 31`);
  });
});
