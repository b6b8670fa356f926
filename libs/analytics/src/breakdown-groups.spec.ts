import { AgencyCatalog } from '@pilotage/kpi';
import { breakdownGroupLabel, breakdownSupportOf, mainVolumeMetric } from './breakdown-groups';

describe('breakdown groups', () => {
  it('labels channels in the language asked, campaigns without a name and the folded others', () => {
    expect(breakdownGroupLabel('CHANNEL', 'PAID_SEARCH', 'fr')).toBe('Recherche payante');
    expect(breakdownGroupLabel('CHANNEL', 'PAID_SEARCH', 'en')).toBe('Paid search');
    expect(breakdownGroupLabel('CAMPAIGN', '', 'fr')).toBe('Sans campagne');
    expect(breakdownGroupLabel('CAMPAIGN', '', 'en')).toBe('No campaign');
    expect(breakdownGroupLabel('SOURCE', '', 'en')).toBe('');
    expect(breakdownGroupLabel('SOURCE', 'ga4:properties/1', 'en')).toBe('ga4:properties/1');
    expect(breakdownGroupLabel('CAMPAIGN', null, 'fr')).toBe('Autres');
  });

  it('ranks by sessions before spend (organic channels have no spend), else by the first metric read', () => {
    expect(mainVolumeMetric(['ad_spend', 'orders', 'sessions'])).toBe('sessions');
    expect(mainVolumeMetric(['ad_spend', 'ad_clicks'])).toBe('ad_clicks');
    expect(mainVolumeMetric(['zeta_custom', 'alpha_custom'])).toBe('alpha_custom');
    expect(mainVolumeMetric([])).toBeNull();
  });

  it('keeps a KPI over the whole marketing cost for the total only, a conversion rate per group', () => {
    const support = breakdownSupportOf(new AgencyCatalog([], []), ['ecommerce_conversion_rate', 'customer_acquisition_cost']);
    expect(support.get('ecommerce_conversion_rate')).toEqual({ byGroup: true });
    expect(support.get('customer_acquisition_cost')).toEqual({ byGroup: false, reason: 'BLENDED' });
  });
});
