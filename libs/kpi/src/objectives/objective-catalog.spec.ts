import { findKpi, KPI_CATALOG } from '../catalog';
import { BUSINESS_MODELS, type LocalizedText, MARKETING_CHANNELS } from '../domain';
import { findObjective, isObjectiveKey, MAX_VITAL_OBJECTIVES, OBJECTIVE_CATALOG, OBJECTIVE_KEYS, RECOMMENDED_MAX_KPIS } from './objective-catalog';

function expectFilled(text: LocalizedText, where: string): void {
  expect({ where, fr: text.fr.trim() !== '', en: text.en.trim() !== '' }).toEqual({ where, fr: true, en: true });
}

describe('OBJECTIVE_CATALOG', () => {
  it('defines each objective key once, in the order of OBJECTIVE_KEYS', () => {
    expect(OBJECTIVE_CATALOG.map((objective) => objective.key)).toEqual([...OBJECTIVE_KEYS]);
  });

  it('writes every name, description and reason in French and English', () => {
    for (const objective of OBJECTIVE_CATALOG) {
      expectFilled(objective.name, `${objective.key}.name`);
      expectFilled(objective.description, `${objective.key}.description`);
      for (const measure of objective.measures) {
        expectFilled(measure.reason, `${objective.key}.${measure.kpiKey}.reason`);
      }
    }
  });

  it('points every measure at a catalog KPI, at that KPI’s stage, with a weight from 1 to 3', () => {
    for (const objective of OBJECTIVE_CATALOG) {
      for (const measure of objective.measures) {
        const kpi = findKpi(measure.kpiKey);
        expect({ objective: objective.key, kpi: measure.kpiKey, stage: kpi?.stage }).toEqual({
          objective: objective.key,
          kpi: measure.kpiKey,
          stage: measure.stage,
        });
        expect([1, 2, 3]).toContain(measure.weight);
      }
    }
  });

  it('measures each KPI at most once per objective', () => {
    for (const objective of OBJECTIVE_CATALOG) {
      const keys = objective.measures.map((measure) => measure.kpiKey);
      expect({ objective: objective.key, duplicates: keys.filter((key, index) => keys.indexOf(key) !== index) }).toEqual({
        objective: objective.key,
        duplicates: [],
      });
    }
  });

  it('restricts a measure only to business models its KPI is relevant for', () => {
    for (const objective of OBJECTIVE_CATALOG) {
      for (const measure of objective.measures) {
        const kpiModels = findKpi(measure.kpiKey)?.businessModels ?? [];
        for (const model of measure.businessModels ?? []) {
          expect({ kpi: measure.kpiKey, model, relevant: kpiModels.includes(model) }).toEqual({
            kpi: measure.kpiKey,
            model,
            relevant: true,
          });
        }
      }
    }
  });

  it('gives every objective a main yardstick (weight 3) for every business model', () => {
    // A client using every channel, without traits: what the business model alone guarantees.
    const gaps: string[] = [];
    for (const objective of OBJECTIVE_CATALOG) {
      for (const model of BUSINESS_MODELS) {
        const usable = objective.measures.filter((measure) => {
          const kpi = findKpi(measure.kpiKey);
          const fits = kpi?.businessModels.includes(model) ?? false;
          const channelsOk = (kpi?.channels ?? []).every((channel) => MARKETING_CHANNELS.includes(channel));
          return (measure.businessModels?.includes(model) ?? true) && fits && channelsOk;
        });
        if (!usable.some((measure) => measure.weight === 3) || usable.length < 2) {
          gaps.push(`${objective.key}/${model}`);
        }
      }
    }
    expect(gaps).toEqual([]);
  });

  it('uses a good part of the KPI catalog across objectives', () => {
    const measured = new Set(OBJECTIVE_CATALOG.flatMap((objective) => objective.measures.map((measure) => measure.kpiKey)));
    expect(measured.size).toBeGreaterThanOrEqual(KPI_CATALOG.length / 2);
  });

  it('states the seeds’ advice: one or two vital objectives, a short list of KPIs', () => {
    expect(MAX_VITAL_OBJECTIVES).toBe(2);
    expect(RECOMMENDED_MAX_KPIS).toBe(12);
  });

  it('finds an objective by key and nothing for an unknown key', () => {
    expect(findObjective('INCREASE_SALES')?.name).toEqual({ fr: 'Augmenter les ventes', en: 'Increase sales' });
    expect(findObjective('WORLD_DOMINATION')).toBeUndefined();
    expect(isObjectiveKey('IMPROVE_SUPPORT')).toBe(true);
    expect(isObjectiveKey('improve_support')).toBe(false);
  });
});
