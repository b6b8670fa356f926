import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { findControlCharacter, isBlankText } from '@pilotage/common';
import { isValidTimeZone } from '@pilotage/kpi';

const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** An IANA time zone known to this runtime's ICU data (e.g. Europe/Paris). */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be an IANA time zone such as Europe/Paris', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidTimeZone(value) },
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

/**
 * Text without control characters: NUL would reach PostgreSQL (which refuses it in text and
 * jsonb: an internal error instead of a clear one), the others break mail headers, file names and
 * report layouts. `MULTILINE` texts (commentary, descriptions) keep tabs and line breaks.
 * Every text input of the API carries this decorator or a stricter format (e-mail, key, enum).
 */
export function IsPlainText(kind: 'SINGLE_LINE' | 'MULTILINE' = 'SINGLE_LINE', options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isPlainText',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: (args: ValidationArguments) =>
          `${args.property} must not contain control characters (found ${typeof args.value === 'string' ? findControlCharacter(args.value, kind) : 'a non-string'})`,
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value !== 'string' || findControlCharacter(value, kind) === null },
    });
}

/**
 * A name or label that shows something: not only spaces or invisible characters (U+200B,
 * U+FEFF...). The empty string is left to `@MinLength`, which every such field has, so that it
 * gets one problem, not two.
 */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isNotBlank',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must not be blank (only spaces or invisible characters)', ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || value === '' || !isBlankText(value) },
    });
}
