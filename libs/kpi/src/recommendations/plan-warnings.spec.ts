import { planWarnings } from './plan-warnings';

describe(planWarnings.name, () => {
  it('has nothing to say about one or two objectives and a dozen KPIs', () => {
    expect(planWarnings({ objectiveCount: 1, kpiCount: 5 }, 'fr')).toEqual([]);
    expect(planWarnings({ objectiveCount: 2, kpiCount: 12 }, 'fr')).toEqual([]);
  });

  it('warns past two objectives, quoting the seeds’ advice', () => {
    const [warning, ...others] = planWarnings({ objectiveCount: 3, kpiCount: 8 }, 'fr');
    expect(others).toEqual([]);
    expect(warning).toEqual({
      code: 'TOO_MANY_OBJECTIVES',
      message: '3 objectifs choisis : mieux vaut un ou deux objectifs vitaux, chacun suivi par ses propres KPI, que plusieurs lièvres chassés à la fois.',
    });
  });

  it('warns past twelve KPIs', () => {
    expect(planWarnings({ objectiveCount: 2, kpiCount: 13 }, 'en')).toEqual([
      {
        code: 'TOO_MANY_KPIS',
        message: '13 KPIs tracked: past 12, the report is hard to read. Keep the ones that measure your vital objectives.',
      },
    ]);
  });

  it('gives both warnings at once, in the order objectives then KPIs', () => {
    const codes = planWarnings({ objectiveCount: 4, kpiCount: 20 }, 'fr').map((warning) => warning.code);
    expect(codes).toEqual(['TOO_MANY_OBJECTIVES', 'TOO_MANY_KPIS']);
  });

  it('warns when no objective is chosen, since every KPI should measure one', () => {
    const warnings = planWarnings({ objectiveCount: 0, kpiCount: 4 }, 'en');
    expect(warnings.map((warning) => warning.code)).toEqual(['NO_OBJECTIVE']);
    expect(warnings[0]?.message).toMatch(/^No objective chosen/);
  });
});
