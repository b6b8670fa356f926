import { demoReportSnapshot } from '../snapshot/demo-snapshot';
import { renderReportDocument } from '../renderer/report.renderer';
import { buildReportViewModel } from './report-view-model';

const revenue = { kpiKey: 'revenue', name: 'Revenue', unit: 'CURRENCY' as const, oldValue: 48210.5, newValue: 51230, foundAt: '2026-11-12T09:30:00Z' };
const corrections = { sinceVersion: 2, items: [revenue] };

describe('corrections and readiness warning in the view model', () => {
  it('prints nothing of the kind for an ordinary report', () => {
    const view = buildReportViewModel(demoReportSnapshot());
    expect(view.corrections).toBeNull();
    expect(view.readinessWarning).toBeNull();
  });

  it('titles the corrections in English and formats the values like the report (currency, client locale)', () => {
    const base = demoReportSnapshot({ client: { locale: 'en' } });
    const view = buildReportViewModel({ ...base, corrections, incompleteKpis: ['Sessions', 'Revenue'] });
    expect(view.corrections?.title).toBe('Corrections since version 2');
    expect(view.corrections?.rows).toEqual([
      { name: 'Revenue', oldValue: expect.stringContaining('48,211'), newValue: expect.stringContaining('51,230'), foundOn: '12 November 2026' },
    ]);
    expect(view.readinessWarning).toBe(
      'Incomplete data: this report was produced at its deadline while data was still missing for Sessions, Revenue. These figures may be corrected.',
    );
  });

  it('titles them in French', () => {
    const view = buildReportViewModel({ ...demoReportSnapshot(), corrections, incompleteKpis: ['Sessions'] });
    expect(view.corrections?.title).toBe('Corrections depuis la version 2');
    expect(view.readinessWarning).toMatch(
      /^Données incomplètes : ce rapport a été produit à la date limite alors que des données manquaient encore pour Sessions\./,
    );
  });

  it('prints both on the summary page of the document, a custom KPI name escaped', () => {
    const hostile = { ...corrections, items: [{ ...revenue, name: '<img src=x onerror=alert(1)>' }] };
    const { html } = renderReportDocument({ ...demoReportSnapshot({ client: { locale: 'en' } }), corrections: hostile, incompleteKpis: ['Sessions'] });
    const summary = html.slice(html.indexOf('story-summary'));
    expect(summary).toContain('Corrections since version 2');
    expect(summary).toContain('class="readiness-warning"');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
  });
});
