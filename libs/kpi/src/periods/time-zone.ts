import { PeriodError } from './period-error';

// Creating an Intl.DateTimeFormat is costly (~tens of µs); reports convert many instants in few zones.
const formatters = new Map<string, Intl.DateTimeFormat>();
/**
 * Intl accepts a zone in any letter case (europe/PARIS), and zones come from user input: past
 * this many distinct spellings, formatters are no longer kept, so input cannot grow memory.
 */
const MAX_CACHED_FORMATTERS = 1_000;
/**
 * An IANA name (Europe/Paris, America/Argentina/Buenos_Aires, Etc/GMT+1, UTC). Intl also takes
 * UTC offsets such as "+01:00", which have no daylight-saving rules: not a client's zone.
 */
const IANA_ZONE_NAME = /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    // en-CA formats dates as YYYY-MM-DD; parts are read one by one rather than trusting the layout.
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    if (formatters.size < MAX_CACHED_FORMATTERS) formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Whether `timeZone` is an IANA time zone name (e.g. 'Europe/Paris') known to this runtime's
 * ICU data, canonical or alias (America/Montreal). The one check of the house: the API's
 * input validator and the engine's local dates both use it.
 */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || !IANA_ZONE_NAME.test(timeZone)) {
    return false;
  }
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date (`YYYY-MM-DD`) that a wall clock in `timeZone` shows at `instant`. */
export function localDate(instant: Date, timeZone: string): string {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new PeriodError('Cannot take the local date of an invalid Date');
  }
  if (!isValidTimeZone(timeZone)) {
    throw new PeriodError(`Unknown time zone '${String(timeZone)}'`);
  }
  let year = '';
  let month = '';
  let day = '';
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type === 'year') {
      year = part.value;
    } else if (part.type === 'month') {
      month = part.value;
    } else if (part.type === 'day') {
      day = part.value;
    }
  }
  const yearNumber = Number(year);
  if (!Number.isInteger(yearNumber) || yearNumber < 1 || yearNumber > 9999 || month === '' || day === '') {
    throw new PeriodError(`The local date of ${instant.toISOString()} is outside years 0001-9999`);
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}
