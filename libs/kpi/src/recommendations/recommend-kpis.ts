import { findKpi, KPI_CATALOG, type KpiDefinition, resolveRequiredMetrics } from '../catalog';
import { type BusinessModel, type ClientTrait, FUNNEL_STAGES, type FunnelStage, type Locale, type LocalizedText, type MarketingChannel } from '../domain';
import { FormulaDuplicateKeyError } from '../formula';
import { findObjective, type ObjectiveDefinition, type ObjectiveKey, RECOMMENDED_MAX_KPIS } from '../objectives';
import { type PlanWarning, planWarnings } from './plan-warnings';
import { UnknownObjectiveError } from './recommendation-errors';
import { BUSINESS_MODEL_FIT_REASONS, CHANNEL_REASONS, CUSTOM_KPI_REASON, objectiveReason, TRAIT_REASONS } from './recommendation-texts';

/** What recommending needs of a KPI: catalog KPIs and agency-defined KPIs both fit. */
export type RecommendableKpi = Pick<KpiDefinition, 'key' | 'name' | 'stage' | 'formula' | 'businessModels'> &
  Partial<Pick<KpiDefinition, 'traits' | 'channels'>>;

export interface KpiRecommendationInput {
  readonly businessModel: BusinessModel;
  readonly traits: readonly ClientTrait[];
  readonly channels: readonly MarketingChannel[];
  readonly objectiveKeys: readonly string[];
  readonly locale: Locale;
  /** The agency's own KPIs, ranked with the catalog's; their formulas may reference catalog KPIs. */
  readonly customKpis?: readonly RecommendableKpi[];
}

export interface RecommendedKpi {
  readonly kpiKey: string;
  readonly name: string;
  readonly stage: FunnelStage;
  readonly score: number;
  /** Localized, most important first: objectives, then business model, traits, channels. */
  readonly reasons: readonly string[];
  /** Metrics to import for this KPI, references to other KPIs followed down to metrics. */
  readonly requiredMetrics: readonly string[];
  /** The chosen objectives this KPI measures. */
  readonly objectiveKeys: readonly ObjectiveKey[];
  /** Part of the short list proposed for the plan (see `recommendKpis`). */
  readonly shortlisted: boolean;
  readonly custom: boolean;
}

export interface StageRecommendation {
  readonly stage: FunnelStage;
  readonly kpis: readonly RecommendedKpi[];
}

export interface KpiRecommendation {
  /** Every funnel stage, in funnel order, even when empty: the report follows the funnel. */
  readonly stages: readonly StageRecommendation[];
  readonly warnings: readonly PlanWarning[];
}

/**
 * Points of the score. Objectives dominate, because the seeds tie every KPI to a precise
 * objective: a measure of weight 2 or 3 (20 or 30 points) outranks any KPI that merely fits the
 * client (5 for the model, plus 4 per trait and 3 per channel: at most 19 in the catalog).
 */
export const RECOMMENDATION_POINTS = {
  /** Per unit of measure weight (1..3), for each chosen objective the KPI measures. */
  objectiveWeight: 10,
  /** The KPI is relevant for the client's business model. */
  businessModel: 5,
  /** Per trait of the client that makes the KPI relevant. */
  trait: 4,
  /** Per channel of the client the KPI needs. */
  channel: 3,
} as const;

interface Candidate {
  readonly kpi: RecommendableKpi;
  readonly custom: boolean;
  readonly order: number;
}

interface ScoredKpi {
  readonly candidate: Candidate;
  readonly score: number;
  readonly reasons: readonly LocalizedText[];
  readonly objectiveKeys: readonly ObjectiveKey[];
}

/**
 * Ranks the KPIs to propose at a kickoff, per funnel stage.
 *
 * A KPI is a candidate when its business models include the client's or one of its traits is the
 * client's; a KPI that needs channels (ads, e-mail, social) also needs one of them among the
 * client's, unless a trait of the client makes it relevant (e-mail automation and e-mail KPIs).
 * Objective measures restricted to other business models do not count, and an objective measured
 * by a KPI that is not a candidate (ROAS for a client without ads) is left to its other measures.
 *
 * Score = Σ over chosen objectives measuring the KPI of weight × 10 + 5 if the business model fits
 * + 4 per matching trait + 3 per matching channel. Within a stage: score, then catalog order
 * (which lists each stage's essentials first), custom KPIs after the catalog's.
 *
 * The short list is the RECOMMENDED_MAX_KPIS best-scored KPIs that measure a chosen objective:
 * without an objective there is no short list, only a warning.
 *
 * @throws UnknownObjectiveError for an objective key that is not in the catalog
 * @throws FormulaDuplicateKeyError when a custom KPI reuses a catalog KPI key or another custom key
 * @throws FormulaReferenceError, FormulaCycleError, FormulaSyntaxError for a broken custom formula
 */
export function recommendKpis(input: KpiRecommendationInput): KpiRecommendation {
  const objectives = resolveObjectives(input.objectiveKeys);
  const customKpis = indexCustomKpis(input.customKpis ?? []);
  const findDefinition = (key: string): RecommendableKpi | undefined => customKpis.get(key) ?? findKpi(key);

  const candidates: Candidate[] = [
    ...KPI_CATALOG.map((kpi, order) => ({ kpi, custom: false, order })),
    ...[...customKpis.values()].map((kpi, index) => ({ kpi, custom: true, order: KPI_CATALOG.length + index })),
  ].filter(({ kpi }) => isCandidate(kpi, input));

  const scored = candidates.map((candidate) => scoreCandidate(candidate, objectives, input));
  const shortlist = new Set(
    scored
      .filter((entry) => entry.objectiveKeys.length > 0)
      .sort(byScoreThenOrder)
      .slice(0, RECOMMENDED_MAX_KPIS)
      .map((entry) => entry.candidate.kpi.key),
  );

  const stages = FUNNEL_STAGES.map((stage) => ({
    stage,
    kpis: scored
      .filter((entry) => entry.candidate.kpi.stage === stage)
      .sort(byScoreThenOrder)
      .map((entry) => toRecommendedKpi(entry, shortlist.has(entry.candidate.kpi.key), findDefinition, input.locale)),
  }));

  return {
    stages,
    warnings: planWarnings({ objectiveCount: objectives.length, kpiCount: shortlist.size }, input.locale),
  };
}

/** Chosen objectives, each once, in the order given; an unknown key is an error, not a silent skip. */
function resolveObjectives(keys: readonly string[]): ObjectiveDefinition[] {
  const objectives: ObjectiveDefinition[] = [];
  for (const key of new Set(keys)) {
    const objective = findObjective(key);
    if (objective === undefined) {
      throw new UnknownObjectiveError(key);
    }
    objectives.push(objective);
  }
  return objectives;
}

function indexCustomKpis(customKpis: readonly RecommendableKpi[]): Map<string, RecommendableKpi> {
  const index = new Map<string, RecommendableKpi>();
  for (const kpi of customKpis) {
    // A custom KPI shadowing a catalog one would make the same key mean two formulas in one plan.
    if (index.has(kpi.key) || findKpi(kpi.key) !== undefined) {
      throw new FormulaDuplicateKeyError(kpi.key);
    }
    index.set(kpi.key, kpi);
  }
  return index;
}

function isCandidate(kpi: RecommendableKpi, input: KpiRecommendationInput): boolean {
  const fitsModel = kpi.businessModels.includes(input.businessModel);
  const hasTrait = matching(kpi.traits, input.traits).length > 0;
  const channels = kpi.channels ?? [];
  if (channels.length === 0) {
    return fitsModel || hasTrait;
  }
  return (fitsModel && matching(channels, input.channels).length > 0) || hasTrait;
}

function scoreCandidate(candidate: Candidate, objectives: readonly ObjectiveDefinition[], input: KpiRecommendationInput): ScoredKpi {
  const { kpi } = candidate;
  let score = 0;
  const reasons: LocalizedText[] = [];
  const objectiveKeys: ObjectiveKey[] = [];

  for (const objective of objectives) {
    for (const measure of objective.measures) {
      const appliesToModel = measure.businessModels?.includes(input.businessModel) ?? true;
      if (measure.kpiKey !== kpi.key || !appliesToModel) {
        continue;
      }
      score += measure.weight * RECOMMENDATION_POINTS.objectiveWeight;
      reasons.push(objectiveReason(objective.name), measure.reason);
      objectiveKeys.push(objective.key);
    }
  }
  if (kpi.businessModels.includes(input.businessModel)) {
    score += RECOMMENDATION_POINTS.businessModel;
    reasons.push(BUSINESS_MODEL_FIT_REASONS[input.businessModel]);
  }
  for (const trait of matching(kpi.traits, input.traits)) {
    score += RECOMMENDATION_POINTS.trait;
    reasons.push(TRAIT_REASONS[trait]);
  }
  for (const channel of matching(kpi.channels, input.channels)) {
    score += RECOMMENDATION_POINTS.channel;
    reasons.push(CHANNEL_REASONS[channel]);
  }
  if (candidate.custom) {
    reasons.push(CUSTOM_KPI_REASON);
  }
  return { candidate, score, reasons, objectiveKeys };
}

function toRecommendedKpi(
  entry: ScoredKpi,
  shortlisted: boolean,
  findDefinition: (key: string) => RecommendableKpi | undefined,
  locale: Locale,
): RecommendedKpi {
  const { kpi, custom } = entry.candidate;
  return {
    kpiKey: kpi.key,
    name: kpi.name[locale],
    stage: kpi.stage,
    score: entry.score,
    reasons: entry.reasons.map((reason) => reason[locale]),
    requiredMetrics: resolveRequiredMetrics(kpi, findDefinition),
    objectiveKeys: entry.objectiveKeys,
    shortlisted,
    custom,
  };
}

/** The values of `wanted` present in `held`, in `wanted`'s order, each once. */
function matching<T>(wanted: readonly T[] | undefined, held: readonly T[]): T[] {
  return [...new Set(wanted ?? [])].filter((value) => held.includes(value));
}

function byScoreThenOrder(a: ScoredKpi, b: ScoredKpi): number {
  return b.score - a.score || a.candidate.order - b.candidate.order;
}
