import { evaluateFormula, type FormulaNode, formulaReferences, parseFormula } from '../formula';
import { findKpi, KPI_CATALOG, type KpiDefinition } from './kpi-catalog';
import { findMetric } from './metric-catalog';
import { resolveRequiredMetrics } from './required-metrics';

type MetricValues = Readonly<Record<string, number>>;

interface FormulaCase {
  /** Every metric the KPI needs, with made-up but plausible monthly values. */
  readonly values: MetricValues;
  /** Worked out by hand in the comment next to it, never by the formula under test. */
  readonly expected: number;
}

interface FormulaTableRow {
  readonly cases: readonly FormulaCase[];
  /** For ratio KPIs: every metric present, a denominator at zero; the KPI has no value. */
  readonly zeroDenominator?: MetricValues;
}

const FORMULA_TABLE: Readonly<Record<string, FormulaTableRow>> = {
  // ---- Acquisition ----
  visitors: { cases: [{ values: { visitors: 1200 }, expected: 1200 }] },
  sessions: { cases: [{ values: { sessions: 1500 }, expected: 1500 }] },
  new_visitor_share: {
    // 300 new visitors out of 1,200 = a quarter.
    cases: [{ values: { new_visitors: 300, visitors: 1200 }, expected: 0.25 }],
    zeroDenominator: { new_visitors: 0, visitors: 0 },
  },
  organic_traffic_share: {
    // 600 / 1,500 = 0.4
    cases: [{ values: { organic_search_sessions: 600, sessions: 1500 }, expected: 0.4 }],
    zeroDenominator: { organic_search_sessions: 0, sessions: 0 },
  },
  social_traffic_share: {
    // 150 / 1,500 = 0.1
    cases: [{ values: { social_sessions: 150, sessions: 1500 }, expected: 0.1 }],
    zeroDenominator: { social_sessions: 0, sessions: 0 },
  },
  email_traffic_share: {
    // 75 / 1,500 = 0.05
    cases: [{ values: { email_sessions: 75, sessions: 1500 }, expected: 0.05 }],
    zeroDenominator: { email_sessions: 0, sessions: 0 },
  },
  referral_traffic_share: {
    // 30 / 1,500 = 0.02
    cases: [{ values: { referral_sessions: 30, sessions: 1500 }, expected: 0.02 }],
    zeroDenominator: { referral_sessions: 0, sessions: 0 },
  },
  new_leads: { cases: [{ values: { leads: 80 }, expected: 80 }] },
  marketing_qualified_leads: { cases: [{ values: { mql: 24 }, expected: 24 }] },
  cost_per_click: {
    // 500 € for 400 clicks = 1.25 € a click.
    cases: [{ values: { ad_spend: 500, ad_clicks: 400 }, expected: 1.25 }],
    zeroDenominator: { ad_spend: 500, ad_clicks: 0 },
  },
  ad_click_through_rate: {
    // 400 clicks on 20,000 impressions = 2 %.
    cases: [{ values: { ad_clicks: 400, ad_impressions: 20000 }, expected: 0.02 }],
    zeroDenominator: { ad_clicks: 0, ad_impressions: 0 },
  },
  cost_per_acquisition: {
    // 500 € for 20 conversions = 25 €.
    cases: [{ values: { ad_spend: 500, ad_conversions: 20 }, expected: 25 }],
    zeroDenominator: { ad_spend: 500, ad_conversions: 0 },
  },
  cost_per_lead: {
    // 2,000 € for 80 leads = 25 €.
    cases: [{ values: { marketing_cost: 2000, leads: 80 }, expected: 25 }],
    zeroDenominator: { marketing_cost: 2000, leads: 0 },
  },
  leads_per_euro: {
    // 80 leads for 2,000 € = 0.04 lead per euro.
    cases: [{ values: { leads: 80, marketing_cost: 2000 }, expected: 0.04 }],
    zeroDenominator: { leads: 80, marketing_cost: 0 },
  },
  customer_acquisition_cost: {
    // 2,000 € for 16 new customers = 125 €.
    cases: [{ values: { marketing_cost: 2000, new_customers: 16 }, expected: 125 }],
    zeroDenominator: { marketing_cost: 2000, new_customers: 0 },
  },
  free_acquisition_share: {
    // 16 new customers, 4 of them paid: 12 free / 16 = 0.75.
    cases: [{ values: { new_customers: 16, new_customers_paid: 4 }, expected: 0.75 }],
    zeroDenominator: { new_customers: 0, new_customers_paid: 0 },
  },
  market_penetration_rate: {
    // 450 customers in a market of 9,000 = 5 %.
    cases: [{ values: { customers_total: 450, addressable_market: 9000 }, expected: 0.05 }],
    zeroDenominator: { customers_total: 450, addressable_market: 0 },
  },
  branded_searches: { cases: [{ values: { branded_searches: 3400 }, expected: 3400 }] },
  social_reach: { cases: [{ values: { social_reach: 12000 }, expected: 12000 }] },
  social_followers: { cases: [{ values: { social_followers: 2500 }, expected: 2500 }] },
  brand_mentions: { cases: [{ values: { brand_mentions: 42 }, expected: 42 }] },
  share_of_voice: {
    // 30 mentions of the brand, 90 of competitors: 30 / 120 = 0.25.
    cases: [{ values: { brand_mentions: 30, competitor_mentions: 90 }, expected: 0.25 }],
    zeroDenominator: { brand_mentions: 0, competitor_mentions: 0 },
  },
  app_installs: { cases: [{ values: { app_installs: 900 }, expected: 900 }] },
  signups: { cases: [{ values: { signups: 250 }, expected: 250 }] },
  lead_magnet_conversion_rate: {
    // 45 e-mails from 1,500 pop-up displays = 3 %.
    cases: [{ values: { lead_magnet_conversions: 45, lead_magnet_views: 1500 }, expected: 0.03 }],
    zeroDenominator: { lead_magnet_conversions: 0, lead_magnet_views: 0 },
  },
  lead_magnet_leads: { cases: [{ values: { lead_magnet_conversions: 45 }, expected: 45 }] },
  phone_calls: { cases: [{ values: { phone_calls: 37 }, expected: 37 }] },

  // ---- Conversion ----
  ecommerce_conversion_rate: {
    // The seed's example: 200 visits and 20 sales = 10 %.
    cases: [{ values: { orders: 20, sessions: 200 }, expected: 0.1 }],
    zeroDenominator: { orders: 0, sessions: 0 },
  },
  add_to_cart_rate: {
    // 60 carts in 200 sessions = 0.3
    cases: [{ values: { carts_created: 60, sessions: 200 }, expected: 0.3 }],
    zeroDenominator: { carts_created: 0, sessions: 0 },
  },
  cart_abandonment_rate: {
    // 80 carts, 20 orders: 60 abandoned / 80 = 0.75.
    cases: [{ values: { carts_created: 80, orders: 20 }, expected: 0.75 }],
    zeroDenominator: { carts_created: 0, orders: 0 },
  },
  checkout_abandonment_rate: {
    // 25 checkouts, 20 orders: 5 abandoned / 25 = 0.2.
    cases: [{ values: { checkouts_started: 25, orders: 20 }, expected: 0.2 }],
    zeroDenominator: { checkouts_started: 0, orders: 0 },
  },
  visitor_to_lead_rate: {
    // 60 leads from 1,200 visitors = 5 %.
    cases: [{ values: { leads: 60, visitors: 1200 }, expected: 0.05 }],
    zeroDenominator: { leads: 0, visitors: 0 },
  },
  new_customers: { cases: [{ values: { new_customers: 16 }, expected: 16 }] },
  signup_to_trial_rate: {
    // 100 trials from 250 sign-ups = 0.4
    cases: [{ values: { trial_starts: 100, signups: 250 }, expected: 0.4 }],
    zeroDenominator: { trial_starts: 0, signups: 0 },
  },
  trial_to_paid_rate: {
    // 18 paid out of 100 trials = 0.18
    cases: [{ values: { trial_conversions: 18, trial_starts: 100 }, expected: 0.18 }],
    zeroDenominator: { trial_conversions: 0, trial_starts: 0 },
  },
  free_to_paid_rate: {
    // 10 upgrades for 250 free sign-ups = 4 %.
    cases: [{ values: { freemium_upgrades: 10, signups: 250 }, expected: 0.04 }],
    zeroDenominator: { freemium_upgrades: 3, signups: 0 },
  },
  activation_rate: {
    // 150 activated out of 250 = 0.6
    cases: [{ values: { activations: 150, signups: 250 }, expected: 0.6 }],
    zeroDenominator: { activations: 0, signups: 0 },
  },
  install_to_signup_rate: {
    // 225 sign-ups from 900 installs = 0.25
    cases: [{ values: { signups: 225, app_installs: 900 }, expected: 0.25 }],
    zeroDenominator: { signups: 0, app_installs: 0 },
  },
  lead_to_mql_rate: {
    // 24 MQL out of 80 leads = 0.3
    cases: [{ values: { mql: 24, leads: 80 }, expected: 0.3 }],
    zeroDenominator: { mql: 0, leads: 0 },
  },
  mql_to_sql_rate: {
    // 6 SQL out of 24 MQL = 0.25
    cases: [{ values: { sql: 6, mql: 24 }, expected: 0.25 }],
    zeroDenominator: { sql: 0, mql: 0 },
  },
  sales_qualified_leads: { cases: [{ values: { sql: 6 }, expected: 6 }] },
  sql_to_customer_rate: {
    // The seed's example: 10 prospects called, 1 signed = 10 %.
    cases: [{ values: { new_customers: 1, sql: 10 }, expected: 0.1 }],
    zeroDenominator: { new_customers: 0, sql: 0 },
  },
  lead_to_customer_rate: {
    // 4 customers from 80 leads = 5 %.
    cases: [{ values: { new_customers: 4, leads: 80 }, expected: 0.05 }],
    zeroDenominator: { new_customers: 0, leads: 0 },
  },
  average_sales_cycle: {
    // 3 customers won after 30 days each: 3 × 2,592,000 s = 7,776,000 s; average 2,592,000 s (30 days).
    cases: [{ values: { sales_cycle_duration_total: 7776000, new_customers: 3 }, expected: 2592000 }],
    zeroDenominator: { sales_cycle_duration_total: 0, new_customers: 0 },
  },
  lead_response_time: {
    // 10 leads answered in 36,000 s overall = 3,600 s (one hour) each.
    cases: [{ values: { lead_response_time_total: 36000, leads: 10 }, expected: 3600 }],
    zeroDenominator: { lead_response_time_total: 0, leads: 0 },
  },
  average_lead_potential: {
    // 120,000 € of pipeline for 80 leads = 1,500 €.
    cases: [{ values: { pipeline_value: 120000, leads: 80 }, expected: 1500 }],
    zeroDenominator: { pipeline_value: 0, leads: 0 },
  },
  email_conversion_rate: {
    // 30 conversions for 10,000 sends = 0.3 %.
    cases: [{ values: { email_conversions: 30, emails_sent: 10000 }, expected: 0.003 }],
    zeroDenominator: { email_conversions: 0, emails_sent: 0 },
  },

  // ---- Engagement and retention ----
  pages_per_session: {
    // 4,500 pages in 1,500 sessions = 3.
    cases: [{ values: { page_views: 4500, sessions: 1500 }, expected: 3 }],
    zeroDenominator: { page_views: 0, sessions: 0 },
  },
  average_session_duration: {
    // 180,000 s over 1,500 sessions = 120 s (2 minutes).
    cases: [{ values: { session_duration_total: 180000, sessions: 1500 }, expected: 120 }],
    zeroDenominator: { session_duration_total: 0, sessions: 0 },
  },
  bounce_rate: {
    // 600 bounces in 1,500 sessions = 0.4
    cases: [{ values: { bounced_sessions: 600, sessions: 1500 }, expected: 0.4 }],
    zeroDenominator: { bounced_sessions: 0, sessions: 0 },
  },
  stickiness: {
    // 300 daily out of 1,500 monthly users = 0.2
    cases: [{ values: { daily_active_users: 300, monthly_active_users: 1500 }, expected: 0.2 }],
    zeroDenominator: { daily_active_users: 0, monthly_active_users: 0 },
  },
  monthly_active_users: { cases: [{ values: { monthly_active_users: 1500 }, expected: 1500 }] },
  key_actions: { cases: [{ values: { key_actions: 5200 }, expected: 5200 }] },
  email_open_rate: {
    // The seed's resend rule: 1,000 sends of A, 250 opens of A + 90 opens of its resend A-bis
    // = 340 / 1,000 = 34 % (the resend's sends are not added to the denominator).
    cases: [{ values: { email_opens: 340, emails_sent: 1000 }, expected: 0.34 }],
    zeroDenominator: { email_opens: 0, emails_sent: 0 },
  },
  email_click_rate: {
    // 50 clicks for 1,000 sends = 5 %.
    cases: [{ values: { email_clicks: 50, emails_sent: 1000 }, expected: 0.05 }],
    zeroDenominator: { email_clicks: 0, emails_sent: 0 },
  },
  email_click_to_open_rate: {
    // 50 clicks for 250 opens = 20 %.
    cases: [{ values: { email_clicks: 50, email_opens: 250 }, expected: 0.2 }],
    zeroDenominator: { email_clicks: 0, email_opens: 0 },
  },
  email_unsubscribe_rate: {
    // 3 unsubscribes for 1,000 sends = 0.3 %.
    cases: [{ values: { email_unsubscribes: 3, emails_sent: 1000 }, expected: 0.003 }],
    zeroDenominator: { email_unsubscribes: 0, emails_sent: 0 },
  },
  email_delivery_rate: {
    // 980 delivered out of 1,000 = 98 %.
    cases: [{ values: { emails_delivered: 980, emails_sent: 1000 }, expected: 0.98 }],
    zeroDenominator: { emails_delivered: 0, emails_sent: 0 },
  },
  email_subscribers: { cases: [{ values: { email_subscribers: 5400 }, expected: 5400 }] },
  resource_download_rate: {
    // 270 downloads for 5,400 contacts = 5 %.
    cases: [{ values: { resource_downloads: 270, email_subscribers: 5400 }, expected: 0.05 }],
    zeroDenominator: { resource_downloads: 0, email_subscribers: 0 },
  },
  social_engagement_rate: {
    // 360 interactions on 12,000 impressions = 3 %.
    cases: [{ values: { social_engagements: 360, social_impressions: 12000 }, expected: 0.03 }],
    zeroDenominator: { social_engagements: 0, social_impressions: 0 },
  },
  total_customers: { cases: [{ values: { customers_total: 450 }, expected: 450 }] },
  customer_satisfaction: {
    // 85 satisfied answers out of 100 = 85 %.
    cases: [{ values: { csat_satisfied: 85, csat_responses: 100 }, expected: 0.85 }],
    zeroDenominator: { csat_satisfied: 0, csat_responses: 0 },
  },
  churn_rate: {
    cases: [
      // 520 customers at the end, 60 won and 40 lost during the month: 500 at the start;
      // 40 lost / 500 = 8 % (not 40 / 520, which would let the month's new customers dilute it).
      { values: { customers_lost: 40, customers_total: 520, new_customers: 60 }, expected: 0.08 },
      // A month without movement has no churn.
      { values: { customers_lost: 0, customers_total: 300, new_customers: 0 }, expected: 0 },
    ],
    // No customer at the start, none lost: nobody could churn.
    zeroDenominator: { customers_lost: 0, customers_total: 10, new_customers: 10 },
  },
  retention_rate: {
    // Same month: of the 500 customers at the start, 520 − 60 new = 460 remain: 460 / 500 = 92 %.
    cases: [{ values: { customers_lost: 40, customers_total: 520, new_customers: 60 }, expected: 0.92 }],
    zeroDenominator: { customers_lost: 0, customers_total: 10, new_customers: 10 },
  },
  repeat_purchase_rate: {
    // 30 of 120 orders from returning customers = 0.25
    cases: [{ values: { returning_customer_orders: 30, orders: 120 }, expected: 0.25 }],
    zeroDenominator: { returning_customer_orders: 0, orders: 0 },
  },
  inactive_customer_share: {
    // 45 inactive out of 450 = 10 %.
    cases: [{ values: { inactive_customers: 45, customers_total: 450 }, expected: 0.1 }],
    zeroDenominator: { inactive_customers: 0, customers_total: 0 },
  },
  revenue_churn_rate: {
    // Ending MRR 10,500 = start + 1,000 new + 500 expansion − 1,000 churned, so start = 10,000;
    // 1,000 churned / 10,000 = 10 %.
    cases: [{ values: { churned_mrr: 1000, mrr: 10500, new_mrr: 1000, expansion_mrr: 500 }, expected: 0.1 }],
    // A first month: all MRR is new, the start is 0.
    zeroDenominator: { churned_mrr: 0, mrr: 2000, new_mrr: 2000, expansion_mrr: 0 },
  },
  net_revenue_retention: {
    // Same month: 10,000 at the start + 500 expansion − 1,000 churned = 9,500 kept / 10,000 = 95 %.
    cases: [
      { values: { churned_mrr: 1000, mrr: 10500, new_mrr: 1000, expansion_mrr: 500 }, expected: 0.95 },
      // Expansion beyond churn: 10,000 + 2,000 − 500 = 11,500; ending MRR 12,000 with 500 new.
      { values: { churned_mrr: 500, mrr: 12000, new_mrr: 500, expansion_mrr: 2000 }, expected: 1.15 },
    ],
    zeroDenominator: { churned_mrr: 0, mrr: 2000, new_mrr: 2000, expansion_mrr: 0 },
  },
  first_response_time: {
    // 40 tickets answered in 72,000 s overall = 1,800 s (30 minutes) each.
    cases: [{ values: { first_response_time_total: 72000, tickets_replied: 40 }, expected: 1800 }],
    zeroDenominator: { first_response_time_total: 0, tickets_replied: 0 },
  },
  resolution_time: {
    // 40 tickets closed in 864,000 s overall = 21,600 s (6 hours) each.
    cases: [{ values: { resolution_time_total: 864000, tickets_resolved: 40 }, expected: 21600 }],
    zeroDenominator: { resolution_time_total: 0, tickets_resolved: 0 },
  },
  sla_compliance_rate: {
    // 36 of 40 within SLA = 90 %.
    cases: [{ values: { tickets_resolved_within_sla: 36, tickets_resolved: 40 }, expected: 0.9 }],
    zeroDenominator: { tickets_resolved_within_sla: 0, tickets_resolved: 0 },
  },
  tickets_per_customer: {
    // 45 tickets for 450 customers = 0.1
    cases: [{ values: { support_tickets: 45, customers_total: 450 }, expected: 0.1 }],
    zeroDenominator: { support_tickets: 3, customers_total: 0 },
  },
  support_tickets: { cases: [{ values: { support_tickets: 45 }, expected: 45 }] },

  // ---- Revenue ----
  revenue: { cases: [{ values: { revenue: 25000 }, expected: 25000 }] },
  net_revenue: {
    // 25,000 € − 1,200 € refunded = 23,800 €.
    cases: [{ values: { revenue: 25000, refunds_amount: 1200 }, expected: 23800 }],
  },
  refund_rate: {
    // 1,250 € refunded on 25,000 € = 5 %.
    cases: [{ values: { refunds_amount: 1250, revenue: 25000 }, expected: 0.05 }],
    zeroDenominator: { refunds_amount: 0, revenue: 0 },
  },
  average_order_value: {
    // 25,000 € for 400 orders = 62.50 €.
    cases: [{ values: { revenue: 25000, orders: 400 }, expected: 62.5 }],
    zeroDenominator: { revenue: 0, orders: 0 },
  },
  average_revenue_per_customer: {
    // 25,000 € for 500 customers = 50 €.
    cases: [{ values: { revenue: 25000, customers_total: 500 }, expected: 50 }],
    zeroDenominator: { revenue: 0, customers_total: 0 },
  },
  mrr: { cases: [{ values: { mrr: 10500 }, expected: 10500 }] },
  average_revenue_per_account: {
    // 10,500 € of MRR for 150 accounts = 70 €.
    cases: [{ values: { mrr: 10500, customers_total: 150 }, expected: 70 }],
    zeroDenominator: { mrr: 0, customers_total: 0 },
  },
  recurring_revenue_share: {
    // 18,000 € recurring out of 24,000 € = 75 %.
    cases: [{ values: { recurring_revenue: 18000, revenue: 24000 }, expected: 0.75 }],
    zeroDenominator: { recurring_revenue: 0, revenue: 0 },
  },
  gross_margin_rate: {
    // 10,000 € of margin on 25,000 € = 40 %.
    cases: [{ values: { gross_profit: 10000, revenue: 25000 }, expected: 0.4 }],
    zeroDenominator: { gross_profit: 0, revenue: 0 },
  },
  customer_lifetime_value: {
    // 25,000 € for 500 customers = 50 € a month each; 25 won, 25 lost: 500 at the start,
    // churn 25 / 500 = 5 %, lifetime 20 months; 50 € × 20 = 1,000 €.
    cases: [
      {
        values: { revenue: 25000, customers_total: 500, new_customers: 25, customers_lost: 25 },
        expected: 1000,
      },
    ],
    // Nobody lost: churn 0, an infinite lifetime is no value.
    zeroDenominator: { revenue: 25000, customers_total: 500, new_customers: 25, customers_lost: 0 },
  },
  ltv_to_cac_ratio: {
    // LTV 1,000 € as above; CAC 5,000 € / 25 new customers = 200 €; 1,000 / 200 = 5.
    cases: [
      {
        values: {
          revenue: 25000,
          customers_total: 500,
          new_customers: 25,
          customers_lost: 25,
          marketing_cost: 5000,
        },
        expected: 5,
      },
    ],
    // No marketing cost: CAC 0, the ratio has no value.
    zeroDenominator: { revenue: 25000, customers_total: 500, new_customers: 25, customers_lost: 25, marketing_cost: 0 },
  },
  roas: {
    // 1,600 € of sales for 500 € of ads = 3.2.
    cases: [{ values: { ad_revenue: 1600, ad_spend: 500 }, expected: 3.2 }],
    zeroDenominator: { ad_revenue: 100, ad_spend: 0 },
  },
  marketing_roi: {
    cases: [
      // 25,000 € of revenue for 5,000 € of marketing: 20,000 € earned / 5,000 € = 400 %.
      { values: { revenue: 25000, marketing_cost: 5000 }, expected: 4 },
      // 3,000 € of revenue for 5,000 €: −2,000 / 5,000 = −40 %.
      { values: { revenue: 3000, marketing_cost: 5000 }, expected: -0.4 },
    ],
    zeroDenominator: { revenue: 25000, marketing_cost: 0 },
  },
  cross_upsell_revenue_share: {
    // 3,000 € out of 25,000 € = 12 %.
    cases: [{ values: { cross_upsell_revenue: 3000, revenue: 25000 }, expected: 0.12 }],
    zeroDenominator: { cross_upsell_revenue: 0, revenue: 0 },
  },
  cross_upsell_order_share: {
    // 60 of 400 orders = 15 %.
    cases: [{ values: { cross_upsell_orders: 60, orders: 400 }, expected: 0.15 }],
    zeroDenominator: { cross_upsell_orders: 0, orders: 0 },
  },
  upsell_opportunity_conversion_rate: {
    // 9 won of 30 = 30 %.
    cases: [{ values: { upsell_opportunities_won: 9, upsell_opportunities: 30 }, expected: 0.3 }],
    zeroDenominator: { upsell_opportunities_won: 0, upsell_opportunities: 0 },
  },
  revenue_per_thousand_page_views: {
    // 900 € for 60,000 pages: 60 thousands, 900 / 60 = 15 € per thousand.
    cases: [{ values: { revenue: 900, page_views: 60000 }, expected: 15 }],
    zeroDenominator: { revenue: 900, page_views: 0 },
  },
  email_revenue_share: {
    // 5,000 € out of 25,000 € = 20 %.
    cases: [{ values: { email_revenue: 5000, revenue: 25000 }, expected: 0.2 }],
    zeroDenominator: { email_revenue: 0, revenue: 0 },
  },

  // ---- Referral ----
  nps: {
    cases: [
      // 100 answers: 60 % promoters − 15 % detractors = +45.
      { values: { nps_promoters: 60, nps_passives: 25, nps_detractors: 15 }, expected: 45 },
      // 10 % promoters − 70 % detractors = −60.
      { values: { nps_promoters: 10, nps_passives: 20, nps_detractors: 70 }, expected: -60 },
      // 40 answers: 10 promoters (25 %) − 10 detractors (25 %) = 0, passives only dilute.
      { values: { nps_promoters: 10, nps_passives: 20, nps_detractors: 10 }, expected: 0 },
    ],
    zeroDenominator: { nps_promoters: 0, nps_passives: 0, nps_detractors: 0 },
  },
  referral_rate: {
    // 4 of 16 new customers referred = 25 %.
    cases: [{ values: { referral_customers: 4, new_customers: 16 }, expected: 0.25 }],
    zeroDenominator: { referral_customers: 0, new_customers: 0 },
  },
  invitations_per_customer: {
    // 90 invitations for 450 customers = 0.2
    cases: [{ values: { referral_invitations: 90, customers_total: 450 }, expected: 0.2 }],
    zeroDenominator: { referral_invitations: 5, customers_total: 0 },
  },
  referral_invitation_conversion_rate: {
    // 18 sign-ups from 90 invitations = 20 %.
    cases: [{ values: { referral_signups: 18, referral_invitations: 90 }, expected: 0.2 }],
    zeroDenominator: { referral_signups: 0, referral_invitations: 0 },
  },
  referral_signups: { cases: [{ values: { referral_signups: 18 }, expected: 18 }] },
  average_review_rating: {
    // 40 reviews totalling 172 stars = 4.3 / 5.
    cases: [{ values: { review_rating_sum: 172, reviews_count: 40 }, expected: 4.3 }],
    zeroDenominator: { review_rating_sum: 0, reviews_count: 0 },
  },
  review_count: { cases: [{ values: { reviews_count: 40 }, expected: 40 }] },
  review_rate: {
    // 40 reviews from 400 invitations = 10 %.
    cases: [{ values: { reviews_count: 40, review_invitations: 400 }, expected: 0.1 }],
    zeroDenominator: { reviews_count: 0, review_invitations: 0 },
  },
  organic_search_ctr: {
    // 150 clicks from 6,000 impressions = 2.5 %.
    cases: [{ values: { search_clicks: 150, search_impressions: 6000 }, expected: 0.025 }],
    zeroDenominator: { search_clicks: 0, search_impressions: 0 },
  },
  average_search_position: {
    // Day 1: position 4 over 1,000 impressions; day 2: position 10 over 3,000. Weighted:
    // (4 × 1000 + 10 × 3000) / 4000 = 8.5, where the plain mean of the days would say 7.
    cases: [{ values: { search_position_weighted: 34000, search_impressions: 4000 }, expected: 8.5 }],
    zeroDenominator: { search_position_weighted: 0, search_impressions: 0 },
  },
};

/** Evaluates a KPI the way the platform does: nested KPIs first, from the same metric values. */
function evaluateKpi(kpi: KpiDefinition, values: MetricValues): number | null {
  const node = parseFormula(kpi.formula);
  const scope: Record<string, number | null> = { ...values };
  for (const reference of formulaReferences(node)) {
    if (findMetric(reference) !== undefined) {
      continue;
    }
    const nested = findKpi(reference);
    if (nested === undefined) {
      throw new Error(`KPI '${kpi.key}' references unknown '${reference}'`);
    }
    scope[reference] = evaluateKpi(nested, values);
  }
  return evaluateFormula(node, scope);
}

function hasDivision(node: FormulaNode): boolean {
  switch (node.kind) {
    case 'number':
    case 'reference':
      return false;
    case 'negate':
      return hasDivision(node.operand);
    case 'binary':
      return node.operator === '/' || hasDivision(node.left) || hasDivision(node.right);
    case 'call':
      return node.args.some(hasDivision);
  }
}

function tableRow(key: string): FormulaTableRow {
  const row = FORMULA_TABLE[key];
  if (row === undefined) {
    throw new Error(`No hand-computed row for KPI '${key}'`);
  }
  return row;
}

const CASES = KPI_CATALOG.flatMap((kpi) => (FORMULA_TABLE[kpi.key]?.cases ?? []).map((formulaCase, index) => ({ kpi, index, ...formulaCase })));
const RATIO_KPIS = KPI_CATALOG.filter((kpi) => hasDivision(parseFormula(kpi.formula)));

describe('KPI formulas against hand-computed values', () => {
  it('has a hand-computed row for every catalog KPI and none for an unknown key', () => {
    const catalogKeys = KPI_CATALOG.map((kpi) => kpi.key).sort();
    expect(Object.keys(FORMULA_TABLE).sort()).toEqual(catalogKeys);
    for (const key of catalogKeys) {
      expect(tableRow(key).cases.length).toBeGreaterThan(0);
    }
  });

  it('gives every case exactly the metrics the KPI needs, so that no value is silently missing', () => {
    for (const kpi of KPI_CATALOG) {
      const required = resolveRequiredMetrics(kpi);
      const row = tableRow(kpi.key);
      for (const formulaCase of row.cases) {
        expect({ key: kpi.key, metrics: Object.keys(formulaCase.values).sort() }).toEqual({
          key: kpi.key,
          metrics: required,
        });
      }
      if (row.zeroDenominator !== undefined) {
        expect({ key: kpi.key, metrics: Object.keys(row.zeroDenominator).sort() }).toEqual({
          key: kpi.key,
          metrics: required,
        });
      }
    }
  });

  it.each(CASES)('computes $kpi.key (case $index) as $expected', ({ kpi, values, expected }) => {
    const value = evaluateKpi(kpi, values);
    expect(value).not.toBeNull();
    expect(value).toBeCloseTo(expected, 9);
  });

  it('has a zero-denominator case for every KPI whose formula divides', () => {
    expect(RATIO_KPIS.length).toBeGreaterThan(40);
    const missing = RATIO_KPIS.filter((kpi) => tableRow(kpi.key).zeroDenominator === undefined).map((kpi) => kpi.key);
    expect(missing).toEqual([]);
  });

  it.each(RATIO_KPIS.map((kpi) => ({ kpi })))('gives no value for $kpi.key when its denominator is zero', ({ kpi }) => {
    const zero = tableRow(kpi.key).zeroDenominator ?? {};
    expect(evaluateKpi(kpi, zero)).toBeNull();
  });

  it('gives no value for any KPI when its metrics are missing', () => {
    const valued = KPI_CATALOG.filter((kpi) => evaluateKpi(kpi, {}) !== null).map((kpi) => kpi.key);
    expect(valued).toEqual([]);
  });
});
