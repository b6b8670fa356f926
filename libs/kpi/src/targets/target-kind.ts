/**
 * How a KPI's target relates to time. A FLOW accumulates over the period (sessions, orders,
 * revenue): its annual target is split across months and paced linearly inside a month. A LEVEL
 * is a state or a ratio (conversion rate, churn, MRR, subscribers): a rate is not split, each
 * month aims at the same level, and the current value is compared with the target as it is.
 */
export const TARGET_KINDS = ['FLOW', 'LEVEL'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
