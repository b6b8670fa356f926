import { MAX_DECIMALS, normalizeDecimal } from '@pilotage/ingestion';
import { ProviderError } from '../provider-error';

/** A decimal as an integer count of 10^-scale units: exact, unlike a double. */
interface ScaledDecimal {
  readonly units: bigint;
  readonly scale: number;
}

/**
 * Rounds to at most `decimals` decimals, half to even: unlike half away from zero it does not
 * bias a sum of many rounded values (a month of daily figures) upwards.
 */
function rounded({ units, scale }: ScaledDecimal, decimals: number): ScaledDecimal {
  if (scale <= decimals) return { units, scale };
  const divisor = 10n ** BigInt(scale - decimals);
  const negative = units < 0n;
  const magnitude = negative ? -units : units;
  let quotient = magnitude / divisor;
  const twiceRemainder = (magnitude % divisor) * 2n;
  if (twiceRemainder > divisor || (twiceRemainder === divisor && quotient % 2n === 1n)) quotient += 1n;
  return { units: negative ? -quotient : quotient, scale: decimals };
}

/** Normalized decimal text (no exponent, no trailing zeros) of a scaled decimal. */
function textOf({ units, scale }: ScaledDecimal): string {
  const negative = units < 0n;
  const padded = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const integer = padded.slice(0, padded.length - scale);
  const fraction = padded.slice(padded.length - scale).replace(/0+$/, '');
  const text = fraction === '' ? integer : `${integer}.${fraction}`;
  return negative && text !== '0' ? `-${text}` : text;
}

/** A platform's number (JSON number or numeric string), exactly; INVALID_RESPONSE naming the field otherwise. */
function exactOf(platform: string, field: string, value: unknown): ScaledDecimal {
  const normalized = typeof value === 'number' || typeof value === 'string' ? normalizeDecimal(value) : null;
  if (normalized === null) throw new ProviderError('INVALID_RESPONSE', `${platform}: ${field} is not a number`);
  const negative = normalized.startsWith('-');
  const [integer = '0', fraction = ''] = (negative ? normalized.slice(1) : normalized).split('.');
  const units = BigInt(`${integer}${fraction}`);
  return { units: negative ? -units : units, scale: fraction.length };
}

/** A platform's number as normalized decimal text with at most {@link MAX_DECIMALS} decimals (half-even). */
export function decimalText(platform: string, field: string, value: unknown): string {
  return textOf(rounded(exactOf(platform, field, value), MAX_DECIMALS));
}

/** The exact product of two numbers (Search Console position × impressions), then rounded like {@link decimalText}. */
export function productText(platform: string, field: string, a: unknown, b: unknown): string {
  const left = exactOf(platform, field, a);
  const right = exactOf(platform, field, b);
  return textOf(rounded({ units: left.units * right.units, scale: left.scale + right.scale }, MAX_DECIMALS));
}

/** An int64 count of millionths (Google Ads `cost_micros`, a JSON string) divided by 10^6 exactly, rounded like {@link decimalText}. */
export function microsText(platform: string, field: string, micros: unknown): string {
  const text = typeof micros === 'number' && Number.isSafeInteger(micros) ? String(micros) : micros;
  if (typeof text !== 'string' || !/^-?\d{1,19}$/.test(text)) throw new ProviderError('INVALID_RESPONSE', `${platform}: ${field} is not an integer`);
  return textOf(rounded({ units: BigInt(text), scale: 6 }, MAX_DECIMALS));
}

/** A number rounded half to even to a whole number (a COUNT metric the platform gives with decimals). */
export function wholeText(platform: string, field: string, value: unknown): string {
  return textOf(rounded(exactOf(platform, field, value), 0));
}
