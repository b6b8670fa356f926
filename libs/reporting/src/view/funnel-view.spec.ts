import { reportLabels } from '../i18n/report-labels';
import { demoReportSnapshot } from '../snapshot/demo-snapshot';
import type { ReportSnapshot } from '../snapshot/report-snapshot';
import { buildReportViewModel } from './report-view-model';

describe('funnel view', () => {
  it('still renders a snapshot stored before the rework: the money stage shown apart, referral left out', () => {
    const current = demoReportSnapshot();
    const revenue = current.kpis.find((kpi) => kpi.key === 'revenue');
    // The v1 shape: five stages, euros and referred orders among them, no funnelCounts or funnelRevenue.
    const stored: ReportSnapshot = {
      ...current,
      funnelCounts: undefined,
      funnelRevenue: undefined,
      funnel: [
        { stage: 'ACQUISITION', kpiKey: 'sessions', value: 60_000, conversionFromPrevious: null },
        { stage: 'CONVERSION', kpiKey: 'orders', value: 1_200, conversionFromPrevious: 0.02 },
        { stage: 'ENGAGEMENT', kpiKey: null, label: 'Commandes de clients déjà acheteurs', unit: 'COUNT', value: 372, conversionFromPrevious: 0.31 },
        { stage: 'REVENUE', kpiKey: 'revenue', value: revenue?.value ?? null, conversionFromPrevious: null },
        { stage: 'REFERRAL', kpiKey: 'referral_orders', value: 26, conversionFromPrevious: 0.071 },
      ],
    };
    const funnel = buildReportViewModel(stored).funnel;
    expect(funnel?.steps.map((step) => step.stageLabel)).toEqual(['Acquisition', 'Conversion', 'Engagement']);
    expect(funnel?.steps.map((step) => step.conversion.replace(/\s/g, ' '))).toEqual(['', '2,0 %', '31,0 %']);
    expect(funnel?.revenue?.label).toBe(revenue?.name);
    expect(funnel?.revenue?.value).toMatch(/€$/);
    expect(funnel?.chartSvg).not.toContain('7,1');
    expect(funnel?.intro).toBe(reportLabels('fr', 'MONTHLY').funnelIntro);
  });

  it('says a missing step is missing, in the table, the chart, its alt text and a note', () => {
    const current = demoReportSnapshot({ client: { locale: 'en' } });
    const snapshot: ReportSnapshot = {
      ...current,
      funnel: current.funnel.map((step, index) => (index === 1 ? { ...step, value: null, conversionFromPrevious: null, daysWithData: 0 } : step)),
    };
    const funnel = buildReportViewModel(snapshot).funnel;
    expect(funnel?.steps[1]?.value).toBe('No data');
    expect(funnel?.steps[1]?.conversion).toBe('');
    expect(funnel?.chartSvg).toContain('>No data<');
    expect(funnel?.chartSvg).toMatch(/aria-label="Conversion funnel, October 2026: Sessions [\d,]+; Orders: no data; /);
    expect(funnel?.notes).toContain('Orders: no data for the period; no rate into or out of this stage.');
  });

  it('writes the chart’s alt text from the data, in the client’s language', () => {
    const funnel = buildReportViewModel(demoReportSnapshot()).funnel;
    const [sessions, orders] = funnel?.steps ?? [];
    expect(funnel?.chartSvg).toContain(
      `<title>Entonnoir de conversion, octobre 2026 : Sessions ${sessions?.value} ; Commandes ${orders?.value} (${orders?.conversion} de l’étape précédente)`,
    );
    expect(funnel?.revenue?.heading).toBe('En montant, hors entonnoir');
  });
});
