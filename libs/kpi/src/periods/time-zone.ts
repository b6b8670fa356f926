import { PeriodError } from './period-error';

// Creating an Intl.DateTimeFormat is costly (~tens of µs); reports convert many instants in few zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

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
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the IANA time zone (e.g. 'Europe/Paris') is known to this runtime's Intl data. */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') {
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
