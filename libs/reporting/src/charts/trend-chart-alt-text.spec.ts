import { demoReportSnapshot } from '../snapshot/demo-snapshot';
import type { KpiSeriesPoint } from '../snapshot/report-snapshot';
import { buildReportViewModel } from '../view/report-view-model';
import { describeTrendChart } from './trend-chart-alt-text';

/** French typography's no-break spaces read as plain spaces in these expectations. */
const plain = (text: string): string => text.replace(/[\u00a0\u202f]/g, ' ');

function months(from: string, values: readonly (number | null)[], last: Partial<KpiSeriesPoint> = {}): KpiSeriesPoint[] {
  const [year, month] = from.split('-').map(Number);
  return values.map((value, index) => {
    const date = new Date(Date.UTC(year, month - 1 + index, 1));
    const period = date.toISOString().slice(0, 7);
    return { period, value, target: null, lastYear: null, ...(index === values.length - 1 ? last : {}) };
  });
}

const RISING = [0.018, 0.0182, 0.0184, 0.0186, 0.0188, 0.019, 0.0192, 0.0194, 0.0195, 0.0196, 0.0198, 0.02];

describe(describeTrendChart.name, () => {
  it('says the span, where the KPI went, its target and last year’s value, in French', () => {
    const series = months('2025-12', RISING, { target: 0.021, lastYear: 0.017 });
    expect(plain(describeTrendChart({ name: 'Taux de conversion', unit: 'PERCENT', series }, { locale: 'fr', currency: 'EUR' }))).toBe(
      'Taux de conversion, déc. 2025 à nov. 2026 : de 1,8 % à 2,0 %, objectif 2,1 % ; l’an dernier 1,7 %',
    );
  });

  it('says the same in English, with English numbers', () => {
    const series = months('2025-12', RISING, { target: 0.021, lastYear: 0.017 });
    expect(describeTrendChart({ name: 'Conversion rate', unit: 'PERCENT', series }, { locale: 'en', currency: 'USD' })).toBe(
      'Conversion rate, Dec 2025 to Nov 2026: from 1.8% to 2.0%, target 2.1%; last year 1.7%',
    );
  });

  it('names a peak and a trough between the ends, and the months without data', () => {
    const series = months('2025-10', [100, 140, 90, null, 110, 120], { target: 130 });
    expect(plain(describeTrendChart({ name: 'Commandes', unit: 'COUNT', series }, { locale: 'fr', currency: 'EUR' }))).toBe(
      'Commandes, oct. 2025 à mars 2026 : de 100 à 120, objectif 130 ; au plus haut 140 en nov. 2025 ; au plus bas 90 en déc. 2025 ; sans données : janv. 2026',
    );
  });

  it('says when the reported period has no data rather than reading an older value as the current one', () => {
    const series = months('2026-01', [41.9, 40, null], { target: 45 });
    expect(describeTrendChart({ name: 'NPS', unit: 'SCORE', series }, { locale: 'en', currency: 'EUR' })).toBe(
      'NPS, Jan 2026 to Mar 2026: no data for Mar 2026, target 45',
    );
  });

  it('still draws the charts of a snapshot stored before last year’s values existed, without a last-year legend', () => {
    const stored = demoReportSnapshot();
    const v1 = { ...stored, kpis: stored.kpis.map((kpi) => ({ ...kpi, series: kpi.series.map(({ lastYear: _lastYear, ...point }) => point) })) };
    const items = buildReportViewModel(v1).kpiSections.flatMap((section) => section.items);
    expect(items.every((item) => item.chartSvg.includes('Réalisé') && !item.chartSvg.includes('Année précédente'))).toBe(true);
    expect(buildReportViewModel(stored).kpiSections[0]?.items[0]?.chartSvg).toContain('Année précédente');
  });

  it('gives each KPI chart of a report its text alternative, as the figure’s label and the SVG’s title', () => {
    const view = buildReportViewModel(demoReportSnapshot());
    const items = view.kpiSections.flatMap((section) => section.items);
    expect(items.length).toBeGreaterThan(5);
    for (const item of items) {
      expect(item.chartAlt.startsWith(`${item.name}, `)).toBe(true);
      expect(item.chartSvg).toContain(
        `<title>${item.chartAlt.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</title>`,
      );
    }
  });
});
