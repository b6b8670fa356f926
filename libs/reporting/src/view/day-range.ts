import type { Locale } from '@pilotage/kpi';

const DAY_MONTH: Record<Locale, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', timeZone: 'UTC' }),
};
const DAY: Record<Locale, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-FR', { day: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-US', { day: 'numeric', timeZone: 'UTC' }),
};

const utc = (isoDay: string): Date => new Date(`${isoDay}T00:00:00Z`);

/** "1er nov." in French: the first of a month is an ordinal. */
function day(isoDay: string, locale: Locale, withMonth: boolean): string {
  const text = (withMonth ? DAY_MONTH : DAY)[locale].format(utc(isoDay));
  return locale === 'fr' && isoDay.endsWith('-01') ? text.replace(/^1(?!\d)/, '1er') : text;
}

/**
 * A run of missing days as a note says it: "le 11 nov.", "les 11 et 12 nov.", "du 3 au 9 nov.",
 * "du 30 oct. au 2 nov."; "on Nov 11", "on Nov 11–12", "from Oct 30 to Nov 2".
 */
export function formatDayRange(from: string, to: string, locale: Locale): string {
  const sameMonth = from.slice(0, 7) === to.slice(0, 7);
  const last = day(to, locale, true);
  if (from === to) return locale === 'fr' ? `le ${last}` : `on ${last}`;
  const next = new Date(utc(from).getTime() + 86_400_000).toISOString().slice(0, 10);
  if (locale === 'fr') {
    if (!sameMonth) return `du ${day(from, 'fr', true)} au ${last}`;
    return next === to ? `les ${day(from, 'fr', false)} et ${last}` : `du ${day(from, 'fr', false)} au ${last}`;
  }
  if (!sameMonth) return `from ${day(from, 'en', true)} to ${last}`;
  return `on ${day(from, 'en', true)}\u2013${day(to, 'en', false)}`;
}
