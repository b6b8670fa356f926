import { findMetric } from '../catalog';
import { BUSINESS_MODELS, FUNNEL_STAGES } from '../domain';
import { computeFunnel, FUNNEL_VOLUMES } from './funnel-volumes';

describe(computeFunnel.name, () => {
  it('uses only catalog metrics, for every business model and stage', () => {
    for (const model of BUSINESS_MODELS) {
      for (const stage of FUNNEL_STAGES) expect(findMetric(FUNNEL_VOLUMES[model][stage])).toBeDefined();
    }
  });

  it('divides each counted stage by the previous one, skipping revenue', () => {
    const funnel = computeFunnel('ECOMMERCE', {
      visitors: 10_000,
      orders: 250,
      returning_customer_orders: 50,
      revenue: 18_750.5,
      referral_customers: 5,
    });
    expect(funnel.map((stage) => [stage.stage, stage.value, stage.conversionFromPrevious])).toEqual([
      ['ACQUISITION', 10_000, null],
      ['CONVERSION', 250, 0.025],
      ['ENGAGEMENT', 50, 0.2],
      ['REVENUE', 18_750.5, null],
      // 5 referred customers out of 50 repeat orders: the money stage is not a denominator.
      ['REFERRAL', 5, 0.1],
    ]);
  });

  it('gives no rate for a missing stage or a zero denominator, never 0', () => {
    const funnel = computeFunnel('SAAS', { visitors: 0, signups: 12, activations: null, referral_signups: 3 });
    expect(funnel.map((stage) => stage.conversionFromPrevious)).toEqual([null, null, null, null, null]);
  });
});
