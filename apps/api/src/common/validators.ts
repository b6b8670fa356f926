import { registerDecorator, type ValidationOptions } from 'class-validator';

const knownTimeZones = new Map<string, boolean>();

/** Accepts canonical zones and ICU's aliases (America/Montreal), as Intl does. */
function isKnownTimeZone(value: string): boolean {
  let known = knownTimeZones.get(value);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      known = /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(value);
    } catch {
      known = false;
    }
    if (knownTimeZones.size < 10_000) knownTimeZones.set(value, known);
  }
  return known;
}
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** An IANA time zone known to this runtime's ICU data (e.g. Europe/Paris). */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be an IANA time zone such as Europe/Paris', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isKnownTimeZone(value) },
    });
}

/** An ISO 4217 currency code (e.g. EUR). */
export function IsCurrencyCode(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCurrencyCode',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be an ISO 4217 currency code such as EUR', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && CURRENCIES.has(value) },
    });
}

export function isTimeZone(value: string): boolean {
  return isKnownTimeZone(value);
}
