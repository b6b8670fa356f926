import { normalizeHeaderName } from '../../metric-csv-layout.detector';
import type { PresetFile, PresetRow } from '../export-preset.types';

/** Whether a cell opens a totals row: Google Ads writes "Total: Account", "Total : compte", GA4 "Grand total". */
export function isTotalsLabel(cell: string): boolean {
  return /^(grand\s+)?totals?\b|^totaux?\b|^total\s+g[ée]n[ée]ral/i.test(cell.trim());
}

/** Exact difference of two normalized decimals (a − b), for Total − Taxes and sessions − engaged sessions. */
export function subtractDecimals(a: string, b: string): string {
  const scale = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const scaled = (text: string): bigint => {
    const negative = text.startsWith('-');
    const [integer = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
    const value = BigInt(integer) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, '0') || '0');
    return negative ? -value : value;
  };
  const difference = scaled(a) - scaled(b);
  const negative = difference < 0n;
  const magnitude = (negative ? -difference : difference).toString().padStart(scale + 1, '0');
  const integer = magnitude.slice(0, magnitude.length - scale);
  const fraction = scale === 0 ? '' : magnitude.slice(magnitude.length - scale).replace(/0+$/, '');
  const text = fraction === '' ? integer : `${integer}.${fraction}`;
  return negative && text !== '0' ? `-${text}` : text;
}

/**
 * Keeps one currency per file: adding euros to dollars gives a number that is neither. The first
 * currency is noted; a row in another one is an error on its currency cell.
 */
export function currencyGuard<R extends string>(file: PresetFile, role: R): (row: PresetRow<R>, currency?: string) => boolean {
  let seen: string | null = null;
  return (row, currency = row.text(role)) => {
    if (currency === '') return true;
    const code = currency.toUpperCase();
    if (seen === null) {
      seen = code;
      file.note(`Amounts in ${code}`);
      return true;
    }
    if (code === seen) return true;
    row.error(role, 'INVALID_NUMBER', `This row is in ${code} while the file started in ${seen}: export one currency per file`);
    return false;
  };
}

/** A table of labels (compared without case, accents or spaces) to values. */
export function labelTable<V>(entries: readonly (readonly [readonly string[], V])[]): ReadonlyMap<string, V> {
  const table = new Map<string, V>();
  for (const [labels, value] of entries) for (const label of labels) table.set(normalizeHeaderName(label), value);
  return table;
}
