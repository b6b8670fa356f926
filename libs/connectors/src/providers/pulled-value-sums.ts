import { CAMPAIGN_MAX_LENGTH } from '@pilotage/ingestion';
import type { Channel } from '@pilotage/kpi';
import type { PulledValue } from '../provider.types';

/** Adds two normalized decimals exactly. */
function addDecimalTexts(a: string, b: string): string {
  const scale = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const units = (text: string): bigint => {
    const negative = text.startsWith('-');
    const [integer = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
    const value = BigInt(`${integer}${fraction.padEnd(scale, '0')}`);
    return negative ? -value : value;
  };
  const sum = units(a) + units(b);
  const negative = sum < 0n;
  const padded = (negative ? -sum : sum).toString().padStart(scale + 1, '0');
  const fraction = padded.slice(padded.length - scale).replace(/0+$/, '');
  const text = `${padded.slice(0, padded.length - scale)}${fraction === '' ? '' : `.${fraction}`}`;
  return negative && text !== '0' ? `-${text}` : text;
}

/**
 * A campaign name as stored: trimmed, control characters turned into spaces, cut to
 * {@link CAMPAIGN_MAX_LENGTH} (Google Ads allows 255 characters). Two names that become one
 * are then added up by {@link PulledValueSums}, never written twice for one key.
 */
export function storedCampaign(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return [...clean].slice(0, CAMPAIGN_MAX_LENGTH).join('').trim();
}

/**
 * The values of one pull, one per (metric, day, channel, campaign): rows the platform splits
 * finer than we store (GA4's "(not set)" and "(direct)" campaigns, both stored as '') are
 * added up exactly, so that the upsert sees each key once.
 */
export class PulledValueSums {
  private readonly sums = new Map<string, PulledValue>();

  add(metricKey: string, date: string, channel: Channel, campaign: string, valueText: string): void {
    const key = JSON.stringify([metricKey, date, channel, campaign]);
    const known = this.sums.get(key);
    this.sums.set(key, { metricKey, date, channel, campaign, valueText: known === undefined ? valueText : addDecimalTexts(known.valueText, valueText) });
  }

  values(): PulledValue[] {
    return [...this.sums.values()];
  }
}
