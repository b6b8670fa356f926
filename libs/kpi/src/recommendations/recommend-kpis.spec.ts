import { KPI_CATALOG } from '../catalog';
import { FUNNEL_STAGES } from '../domain';
import { FormulaDuplicateKeyError, FormulaReferenceError } from '../formula';
import { RECOMMENDED_MAX_KPIS } from '../objectives';
import { type KpiRecommendation, type KpiRecommendationInput, RECOMMENDATION_POINTS, recommendKpis, type RecommendedKpi } from './recommend-kpis';
import { UnknownObjectiveError } from './recommendation-errors';

const ECOMMERCE_SALES: KpiRecommendationInput = {
  businessModel: 'ECOMMERCE',
  traits: [],
  channels: [],
  objectiveKeys: ['INCREASE_SALES'],
  locale: 'fr',
};

function allKpis(recommendation: KpiRecommendation): RecommendedKpi[] {
  return recommendation.stages.flatMap((stage) => stage.kpis);
}

function recommended(recommendation: KpiRecommendation, key: string): RecommendedKpi {
  const found = allKpis(recommendation).find((kpi) => kpi.kpiKey === key);
  if (found === undefined) {
    throw new Error(`KPI '${key}' is not recommended`);
  }
  return found;
}

function keys(recommendation: KpiRecommendation): string[] {
  return allKpis(recommendation).map((kpi) => kpi.kpiKey);
}

describe(recommendKpis.name, () => {
  describe('for an e-commerce client that wants to increase its sales', () => {
    const recommendation = recommendKpis(ECOMMERCE_SALES);

    it('short-lists the conversion rate, the average order value and the acquisition cost', () => {
      for (const key of ['ecommerce_conversion_rate', 'average_order_value', 'customer_acquisition_cost']) {
        expect(recommended(recommendation, key)).toMatchObject({ shortlisted: true, objectiveKeys: ['INCREASE_SALES'] });
      }
    });

    it('explains the recommendation in the client’s words', () => {
      expect(recommended(recommendation, 'ecommerce_conversion_rate')).toMatchObject({
        name: 'Taux de conversion e-commerce',
        stage: 'CONVERSION',
        reasons: [
          'Mesure l’objectif « Augmenter les ventes »',
          'Chaque point de conversion gagné, ce sont plus de ventes sans plus de trafic.',
          'Adapté à l’e-commerce',
        ],
      });
    });

    it('scores objective weight × 10 plus 5 for the business model', () => {
      // Conversion rate measures INCREASE_SALES at weight 3; average order value at weight 2.
      expect(recommended(recommendation, 'ecommerce_conversion_rate').score).toBe(35);
      expect(recommended(recommendation, 'average_order_value').score).toBe(25);
      // Bounce rate measures no chosen objective: it fits the business model only.
      expect(recommended(recommendation, 'bounce_rate')).toMatchObject({ score: 5, shortlisted: false, objectiveKeys: [] });
    });

    it('adds the points of every chosen objective a KPI measures', () => {
      const both = recommendKpis({ ...ECOMMERCE_SALES, objectiveKeys: ['INCREASE_SALES', 'GROW_CUSTOMER_BASE'] });
      // 3 × 10 (sales) + 2 × 10 (customer base) + 5 (e-commerce).
      expect(recommended(both, 'ecommerce_conversion_rate')).toMatchObject({
        score: 55,
        objectiveKeys: ['INCREASE_SALES', 'GROW_CUSTOMER_BASE'],
      });
    });

    it('lists the metrics to import for each KPI', () => {
      expect(recommended(recommendation, 'ecommerce_conversion_rate').requiredMetrics).toEqual(['orders', 'sessions']);
      expect(recommended(recommendation, 'customer_acquisition_cost').requiredMetrics).toEqual(['marketing_cost', 'new_customers']);
    });

    it('returns every funnel stage in funnel order, each ranked by decreasing score', () => {
      expect(recommendation.stages.map((stage) => stage.stage)).toEqual([...FUNNEL_STAGES]);
      for (const stage of recommendation.stages) {
        const scores = stage.kpis.map((kpi) => kpi.score);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
        expect(stage.kpis.every((kpi) => kpi.stage === stage.stage)).toBe(true);
      }
      expect(recommendation.stages.find((stage) => stage.stage === 'CONVERSION')?.kpis[0]?.kpiKey).toBe('ecommerce_conversion_rate');
    });

    it('leaves out KPIs of other business models and KPIs needing channels the client does not use', () => {
      const proposed = keys(recommendation);
      expect(proposed).not.toContain('trial_to_paid_rate');
      expect(proposed).not.toContain('mrr');
      expect(proposed).not.toContain('roas');
      expect(proposed).not.toContain('email_open_rate');
    });

    it('has no warning for a single objective', () => {
      expect(recommendation.warnings).toEqual([]);
    });
  });

  it('proposes ad KPIs to a client that advertises, with the channel as a reason', () => {
    const recommendation = recommendKpis({ ...ECOMMERCE_SALES, channels: ['PAID_SEARCH'] });
    // ROAS measures INCREASE_SALES at weight 2: 20 + 5 (e-commerce) + 3 (paid search).
    expect(recommended(recommendation, 'roas')).toMatchObject({
      score: 28,
      shortlisted: true,
      reasons: [
        'Mesure l’objectif « Augmenter les ventes »',
        'Ce que rapporte chaque euro dépensé en publicité.',
        'Adapté à l’e-commerce',
        'Vous faites de la publicité sur les moteurs de recherche',
      ],
    });
    expect(keys(recommendation)).toContain('cost_per_click');
  });

  it('proposes e-mail KPIs through the e-mail automation trait even without the e-mail channel', () => {
    const recommendation = recommendKpis({ ...ECOMMERCE_SALES, traits: ['EMAIL_AUTOMATION'] });
    expect(recommended(recommendation, 'email_open_rate').reasons).toContain('Vous avez des séquences e-mail automatisées');
    expect(recommended(recommendation, 'email_revenue_share').shortlisted).toBe(true);
  });

  describe('for a SaaS with a freemium offer', () => {
    const recommendation = recommendKpis({
      businessModel: 'SAAS',
      traits: ['FREEMIUM'],
      channels: ['SEO', 'EMAIL'],
      objectiveKeys: ['INCREASE_SALES', 'IMPROVE_RETENTION'],
      locale: 'fr',
    });

    it('proposes the activation rate and the free-to-paid rate, saying why', () => {
      expect(recommended(recommendation, 'activation_rate')).toMatchObject({
        stage: 'CONVERSION',
        shortlisted: true,
        objectiveKeys: ['IMPROVE_RETENTION'],
      });
      expect(recommended(recommendation, 'activation_rate').reasons).toContain('Vous avez une offre freemium');
      expect(recommended(recommendation, 'free_to_paid_rate')).toMatchObject({
        stage: 'CONVERSION',
        score: RECOMMENDATION_POINTS.trait,
        reasons: ['Vous avez une offre freemium'],
      });
      expect(recommended(recommendation, 'trial_to_paid_rate').shortlisted).toBe(true);
    });

    it('resolves a KPI built on other KPIs down to the metrics to import', () => {
      expect(recommended(recommendation, 'customer_lifetime_value').requiredMetrics).toEqual(['customers_lost', 'customers_total', 'new_customers', 'revenue']);
    });

    it('keeps the short list within the recommended number of KPIs', () => {
      const shortlisted = allKpis(recommendation).filter((kpi) => kpi.shortlisted);
      expect(shortlisted.length).toBe(RECOMMENDED_MAX_KPIS);
      const lowestShortlisted = Math.min(...shortlisted.map((kpi) => kpi.score));
      const bestLeftOut = Math.max(
        ...allKpis(recommendation)
          .filter((kpi) => !kpi.shortlisted && kpi.objectiveKeys.length > 0)
          .map((kpi) => kpi.score),
      );
      expect(lowestShortlisted).toBeGreaterThanOrEqual(bestLeftOut);
    });
  });

  it('does not propose the free-to-paid rate to a SaaS without a freemium offer', () => {
    const recommendation = recommendKpis({
      businessModel: 'SAAS',
      traits: [],
      channels: [],
      objectiveKeys: ['INCREASE_SALES'],
      locale: 'fr',
    });
    expect(keys(recommendation)).not.toContain('free_to_paid_rate');
    expect(recommended(recommendation, 'activation_rate').reasons).toEqual(['Adapté au SaaS']);
  });

  it('proposes the lead magnet KPIs to any client that has one', () => {
    const recommendation = recommendKpis({
      businessModel: 'B2B_SERVICES',
      traits: ['LEAD_MAGNET'],
      channels: [],
      objectiveKeys: ['GENERATE_LEADS'],
      locale: 'fr',
    });
    expect(recommended(recommendation, 'lead_magnet_conversion_rate')).toMatchObject({
      stage: 'ACQUISITION',
      shortlisted: true,
      reasons: ['Mesure l’objectif « Générer des leads »', 'Le lead magnet transforme les visiteurs en contacts.', 'Vous avez un lead magnet'],
    });
  });

  describe('warnings', () => {
    it('warns past two vital objectives, and still recommends', () => {
      const recommendation = recommendKpis({
        ...ECOMMERCE_SALES,
        objectiveKeys: ['INCREASE_SALES', 'IMPROVE_RETENTION', 'BRAND_AWARENESS'],
      });
      expect(recommendation.warnings.map((warning) => warning.code)).toEqual(['TOO_MANY_OBJECTIVES']);
      expect(recommendation.warnings[0]?.message).toContain('3 objectifs');
      expect(allKpis(recommendation).filter((kpi) => kpi.shortlisted)).toHaveLength(RECOMMENDED_MAX_KPIS);
    });

    it('does not warn for two objectives', () => {
      const recommendation = recommendKpis({ ...ECOMMERCE_SALES, objectiveKeys: ['INCREASE_SALES', 'IMPROVE_RETENTION'] });
      expect(recommendation.warnings).toEqual([]);
    });

    it('counts an objective given twice once', () => {
      const recommendation = recommendKpis({
        ...ECOMMERCE_SALES,
        objectiveKeys: ['INCREASE_SALES', 'INCREASE_SALES', 'IMPROVE_RETENTION'],
      });
      expect(recommendation.warnings).toEqual([]);
      expect(recommended(recommendation, 'ecommerce_conversion_rate').score).toBe(35);
    });

    it('warns that there is no objective, and short-lists nothing', () => {
      const recommendation = recommendKpis({ ...ECOMMERCE_SALES, objectiveKeys: [] });
      expect(recommendation.warnings.map((warning) => warning.code)).toEqual(['NO_OBJECTIVE']);
      expect(allKpis(recommendation).some((kpi) => kpi.shortlisted)).toBe(false);
      expect(allKpis(recommendation).length).toBeGreaterThan(0);
    });
  });

  it('rejects an unknown objective key with a typed error', () => {
    const recommend = (): KpiRecommendation => recommendKpis({ ...ECOMMERCE_SALES, objectiveKeys: ['INCREASE_SALES', 'BECOME_VIRAL'] });
    let thrown: unknown;
    try {
      recommend();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnknownObjectiveError);
    expect(thrown).toMatchObject({ code: 'UNKNOWN_OBJECTIVE', objectiveKey: 'BECOME_VIRAL' });
  });

  it('switches names, reasons and warnings to English', () => {
    const recommendation = recommendKpis({
      ...ECOMMERCE_SALES,
      locale: 'en',
      objectiveKeys: ['INCREASE_SALES', 'IMPROVE_RETENTION', 'E_REPUTATION'],
    });
    expect(recommended(recommendation, 'average_order_value')).toMatchObject({
      name: 'Average order value',
      reasons: ['Measures the objective “Increase sales”', 'Selling more per order raises revenue.', 'Suited to e-commerce'],
    });
    expect(recommendation.warnings[0]?.message).toContain('3 objectives chosen');
  });

  describe('with the agency’s own KPIs', () => {
    const marginPerOrder = {
      key: 'margin_per_order',
      name: { fr: 'Marge par commande', en: 'Margin per order' },
      stage: 'REVENUE' as const,
      formula: 'gross_profit / orders',
      businessModels: ['ECOMMERCE' as const],
    };

    it('ranks them with the catalog’s and resolves their references to catalog KPIs', () => {
      const recommendation = recommendKpis({
        ...ECOMMERCE_SALES,
        customKpis: [
          marginPerOrder,
          {
            key: 'margin_aov_index',
            name: { fr: 'Indice marge / panier', en: 'Margin / basket index' },
            stage: 'REVENUE',
            formula: 'margin_per_order / average_order_value * 100',
            businessModels: ['ECOMMERCE'],
          },
        ],
      });
      expect(recommended(recommendation, 'margin_per_order')).toMatchObject({
        custom: true,
        score: RECOMMENDATION_POINTS.businessModel,
        reasons: ['Adapté à l’e-commerce', 'Indicateur défini par votre agence'],
        requiredMetrics: ['gross_profit', 'orders'],
      });
      expect(recommended(recommendation, 'margin_aov_index').requiredMetrics).toEqual(['gross_profit', 'orders', 'revenue']);
    });

    it('leaves out an agency KPI made for another business model', () => {
      const recommendation = recommendKpis({ ...ECOMMERCE_SALES, customKpis: [{ ...marginPerOrder, businessModels: ['SAAS'] }] });
      expect(keys(recommendation)).not.toContain('margin_per_order');
    });

    it('rejects an agency KPI reusing a catalog key', () => {
      expect(() => recommendKpis({ ...ECOMMERCE_SALES, customKpis: [{ ...marginPerOrder, key: 'average_order_value' }] })).toThrow(FormulaDuplicateKeyError);
    });

    it('rejects an agency KPI referencing something that does not exist', () => {
      expect(() => recommendKpis({ ...ECOMMERCE_SALES, customKpis: [{ ...marginPerOrder, formula: 'gross_profit / basket_count' }] })).toThrow(
        FormulaReferenceError,
      );
    });
  });

  it('lets any objective measure of weight 2 outrank every KPI that merely fits the client', () => {
    // The bound stated next to RECOMMENDATION_POINTS: fit points never reach 2 × 10.
    const maxFit = Math.max(
      ...KPI_CATALOG.map(
        (kpi) =>
          RECOMMENDATION_POINTS.businessModel +
          RECOMMENDATION_POINTS.trait * (kpi.traits ?? []).length +
          RECOMMENDATION_POINTS.channel * (kpi.channels ?? []).length,
      ),
    );
    expect(maxFit).toBeLessThan(2 * RECOMMENDATION_POINTS.objectiveWeight);
  });
});
