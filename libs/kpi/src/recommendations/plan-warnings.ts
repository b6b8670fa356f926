import type { Locale } from '../domain';
import { MAX_VITAL_OBJECTIVES, RECOMMENDED_MAX_KPIS } from '../objectives';

export const PLAN_WARNING_CODES = ['NO_OBJECTIVE', 'TOO_MANY_OBJECTIVES', 'TOO_MANY_KPIS'] as const;
export type PlanWarningCode = (typeof PLAN_WARNING_CODES)[number];

/** Advice, not a refusal: the project manager may keep the plan and explain it to the client. */
export interface PlanWarning {
  readonly code: PlanWarningCode;
  readonly message: string;
}

export interface PlanSize {
  readonly objectiveCount: number;
  readonly kpiCount: number;
}

/**
 * The seeds' advice on the size of a KPI plan: each KPI measures a precise objective, one or two
 * vital objectives beat many ("chasser plusieurs lièvres à la fois ne mène à rien"), and a
 * report with a short list of KPIs is one the client actually reads.
 */
export function planWarnings(plan: PlanSize, locale: Locale): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  if (plan.objectiveCount === 0) {
    warnings.push({
      code: 'NO_OBJECTIVE',
      message: {
        fr: 'Aucun objectif choisi : chaque KPI doit mesurer un objectif précis. Choisissez un ou deux objectifs vitaux.',
        en: 'No objective chosen: each KPI should measure a precise objective. Choose one or two vital objectives.',
      }[locale],
    });
  }
  if (plan.objectiveCount > MAX_VITAL_OBJECTIVES) {
    warnings.push({
      code: 'TOO_MANY_OBJECTIVES',
      message: {
        fr: `${plan.objectiveCount} objectifs choisis : mieux vaut un ou deux objectifs vitaux, chacun suivi par ses propres KPI, que plusieurs lièvres chassés à la fois.`,
        en: `${plan.objectiveCount} objectives chosen: one or two vital objectives, each tracked by its own KPIs, beat chasing many at once.`,
      }[locale],
    });
  }
  if (plan.kpiCount > RECOMMENDED_MAX_KPIS) {
    warnings.push({
      code: 'TOO_MANY_KPIS',
      message: {
        fr: `${plan.kpiCount} KPI suivis : au-delà de ${RECOMMENDED_MAX_KPIS}, le reporting se lit mal. Gardez ceux qui mesurent vos objectifs vitaux.`,
        en: `${plan.kpiCount} KPIs tracked: past ${RECOMMENDED_MAX_KPIS}, the report is hard to read. Keep the ones that measure your vital objectives.`,
      }[locale],
    });
  }
  return warnings;
}
