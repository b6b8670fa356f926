/*
 * Exact arithmetic on normalized decimal text ("1234.5", "-3"), for summing export rows to the
 * day and for Search Console's position × impressions. Amounts are held as BigInt at a fixed
 * scale: binary floating point would lose cents when thousands of rows are added up.
 */

/** Decimals kept while summing; values are stored with 4 (numeric(20,4)), rounded once at the end. */
export const SUM_SCALE = 8;
const SCALE_FACTOR = 10n ** BigInt(SUM_SCALE);

/** `valueText` (normalized, at most SUM_SCALE decimals after rounding) as an integer at SUM_SCALE. */
export function toScaled(valueText: string): bigint {
  const negative = valueText.startsWith('-');
  const unsigned = negative ? valueText.slice(1) : valueText;
  const point = unsigned.indexOf('.');
  const integer = point === -1 ? unsigned : unsigned.slice(0, point);
  let fraction = point === -1 ? '' : unsigned.slice(point + 1);
  let roundUp = false;
  if (fraction.length > SUM_SCALE) {
    roundUp = fraction.charCodeAt(SUM_SCALE) >= 0x35;
    fraction = fraction.slice(0, SUM_SCALE);
  }
  let scaled = BigInt(integer === '' ? '0' : integer) * SCALE_FACTOR + BigInt(fraction.padEnd(SUM_SCALE, '0'));
  if (roundUp) scaled += 1n;
  return negative ? -scaled : scaled;
}

/** An integer at SUM_SCALE, rounded half away from zero to `decimals`, as normalized text. */
export function fromScaled(scaled: bigint, decimals: number): string {
  const negative = scaled < 0n;
  let magnitude = negative ? -scaled : scaled;
  const drop = 10n ** BigInt(SUM_SCALE - decimals);
  const remainder = magnitude % drop;
  magnitude = magnitude - remainder + (remainder * 2n >= drop ? drop : 0n);
  const kept = magnitude / drop;
  const unit = 10n ** BigInt(decimals);
  const integer = (kept / unit).toString();
  const fraction = decimals === 0 ? '' : (kept % unit).toString().padStart(decimals, '0').replace(/0+$/, '');
  const text = fraction === '' ? integer : `${integer}.${fraction}`;
  return negative && text !== '0' ? `-${text}` : text;
}

/** Product of two scaled values, at SUM_SCALE (rounded half away from zero). */
export function multiplyScaled(a: bigint, b: bigint): bigint {
  const product = a * b;
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  const rounded = (magnitude + SCALE_FACTOR / 2n) / SCALE_FACTOR;
  return negative ? -rounded : rounded;
}
