/**
 * Marketing channels a metric value is attributed to: a fixed list, translated at the edges.
 * TODO(merge): import { CHANNELS, type Channel } from '@pilotage/kpi' once the channel dimension lands.
 */
export const CHANNELS = ['PAID_SEARCH', 'PAID_SOCIAL', 'ORGANIC_SEARCH', 'EMAIL', 'DIRECT', 'REFERRAL', 'MARKETPLACE', 'OTHER'] as const;
export type Channel = (typeof CHANNELS)[number];

export function isChannel(value: string): value is Channel {
  return CHANNELS.some((channel) => channel === value);
}
