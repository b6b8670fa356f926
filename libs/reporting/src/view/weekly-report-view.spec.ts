import { addDays } from '@pilotage/kpi';
import { formatSeriesAxisLabel, formatSeriesPeriod } from '../format/kpi-value.formatter';
import { demoReportSnapshot } from '../snapshot/demo-snapshot';
import type { ReportSnapshot } from '../snapshot/report-snapshot';
import { buildReportViewModel } from './report-view-model';

/** The demo snapshot read as the weekly report of 2026-W41 (5 – 11 October 2026). */
function weeklySnapshot(locale: 'fr' | 'en'): ReportSnapshot {
  const monthly = demoReportSnapshot({ client: { locale } });
  return {
    ...monthly,
    period: { kind: 'WEEKLY', start: '2026-10-05', end: '2026-10-11' },
    kpis: monthly.kpis.map((kpi, kpiIndex) => ({
      ...kpi,
      daysInPeriod: 7,
      daysWithData: kpiIndex === 0 ? 5 : 7,
      series: kpi.series.map((point, index) => ({
        ...point,
        period: addDays('2026-10-05', -7 * (kpi.series.length - 1 - index)),
        // Week 38 (14 September) of the first KPI received nothing.
        value: kpiIndex === 0 && index === kpi.series.length - 4 ? null : point.value,
      })),
    })),
  };
}

describe('weekly report view', () => {
  it('names weeks by their ISO number on chart axes and with their Monday in sentences', () => {
    expect(formatSeriesAxisLabel('2026-10-05', 'fr')).toBe('S41');
    expect(formatSeriesAxisLabel('2026-10-05', 'en')).toBe('W41');
    expect(formatSeriesAxisLabel('2026-10', 'fr')).toBe('oct. 26');
    expect(formatSeriesPeriod('2026-09-14', 'fr')).toBe('S38 (14 sept.)');
    expect(formatSeriesPeriod('2026-09', 'fr')).toBe('septembre 2026');
  });

  it('heads the change column "vs S−1" and explains it as the previous week, in French', () => {
    const view = buildReportViewModel(weeklySnapshot('fr'));
    expect(view.title).toBe('Rapport hebdomadaire de performance — Maison Lumière — Semaine du 5 octobre 2026 au 11 octobre 2026');
    expect(view.text.columns.mom).toBe('vs S−1');
    expect(view.text.scorecardIntro).toContain('vs S−1 = vs semaine précédente');
    expect(view.text.highlights).toBe('L’essentiel de la semaine');
    expect(view.text.trendLegend.span).toBe('13 dernières semaines');
    expect(view.cover.vsPrevious).toBe('vs semaine précédente');
    expect(view.narrative.join(' ')).toContain('par rapport à la semaine précédente');
  });

  it('draws week numbers on the trend charts and tells which weeks and days have no data', () => {
    const view = buildReportViewModel(weeklySnapshot('fr'));
    const first = view.kpiSections[0]?.items[0];
    expect(first?.chartSvg).toContain('>S41<');
    expect(first?.chartSvg).toContain('>S29<');
    expect(first?.chartSvg).not.toContain('oct. 26');
    expect(first?.coverageNote).toBe('Calculé sur les 5 jours sur 7 où ses données sont connues. Semaines sans données : S38 (14 sept.).');
  });

  it('keeps the days without data out of the executive summary: the coverage notes tell them, once per KPI', () => {
    const view = buildReportViewModel(weeklySnapshot('fr'));
    expect(view.narrative.join(' ')).not.toContain('jours sur 7');
    expect(view.kpiSections[0]?.items[0]?.coverageNote).toContain('5 jours sur 7');
  });

  it('says WoW and "vs previous week" in English, and keeps the monthly wording for monthly reports', () => {
    const view = buildReportViewModel(weeklySnapshot('en'));
    expect(view.text.columns.mom).toBe('WoW');
    expect(view.cover.vsPrevious).toBe('vs previous week');
    expect(view.kpiSections[0]?.items[0]?.chartSvg).toContain('>W41<');
    const monthly = buildReportViewModel(demoReportSnapshot());
    expect(monthly.text.columns.mom).toBe('vs M−1');
    expect(monthly.text.trendLegend.span).toBe('13 derniers mois');
    expect(monthly.cover.vsPrevious).toBe('vs mois précédent');
  });
});
