import type { DecimalMark } from './metric-csv.types';

/*
 * Hand-written on purpose: no library turns locale-formatted decimals ("1 234,56",
 * "1.234,56", "1,234.56", "1'234.56") into an exact decimal string. Intl only formats, and
 * going through parseFloat would lose the cents of large amounts and accept garbage such as
 * "12abc". One pass over char codes, no regular expression: this runs once per imported value.
 */

export type DecimalParseFailureCode = 'INVALID_NUMBER' | 'AMBIGUOUS_DECIMAL' | 'NOT_FINITE';

export interface ParsedDecimal {
  readonly ok: true;
  /** Normalized: no grouping, `.` as decimal mark, no leading or trailing zeros, no `-0`. */
  readonly valueText: string;
  readonly value: number;
  /**
   * The decimal mark this text proves the file uses (`12,5` proves COMMA, `1,234,567` proves
   * POINT), or null when it reads the same under both conventions (`1234`, `1 234`).
   */
  readonly provenMark: DecimalMark | null;
}

export interface DecimalParseFailure {
  readonly ok: false;
  readonly code: DecimalParseFailureCode;
  /** Why, in a few words, for the caller to put in its message. */
  readonly reason: string;
}

const SPACE = 0x20;
const TAB = 0x09;
const NBSP = 0xa0;
const NARROW_NBSP = 0x202f;
const FIGURE_SPACE = 0x2007;
const APOSTROPHE = 0x27;
const RIGHT_QUOTE = 0x2019;
const COMMA = 0x2c;
const POINT = 0x2e;
const MINUS = 0x2d;
const PLUS = 0x2b;
const MINUS_SIGN = 0x2212;
const ZERO = 0x30;
const NINE = 0x39;

// Separator classes used to check that one number does not mix grouping styles.
const GROUP_NONE = 0;
const GROUP_SPACE = 1;
const GROUP_APOSTROPHE = 2;
const GROUP_COMMA = 3;
const GROUP_POINT = 4;

function isSpace(code: number): boolean {
  return code === SPACE || code === NBSP || code === NARROW_NBSP || code === FIGURE_SPACE || code === TAB;
}

function groupClassOf(code: number): number {
  if (code === SPACE || code === NBSP || code === NARROW_NBSP || code === FIGURE_SPACE) return GROUP_SPACE;
  if (code === APOSTROPHE || code === RIGHT_QUOTE) return GROUP_APOSTROPHE;
  if (code === COMMA) return GROUP_COMMA;
  if (code === POINT) return GROUP_POINT;
  return GROUP_NONE;
}

function failure(code: DecimalParseFailureCode, reason: string): DecimalParseFailure {
  return { ok: false, code, reason };
}

/**
 * Parses one cell as an exact decimal.
 *
 * With `mark` given, that mark is the decimal separator and the other one (`.` or `,`) may only
 * group thousands. With `mark` null the text must settle the question itself:
 * - both `,` and `.` present: the last one is the decimal mark (`1.234,56`, `1,234.56`);
 * - one kind repeated: it groups thousands (`1.234.567` proves COMMA);
 * - a single `,` or `.` is a decimal mark unless it is followed by exactly three digits and
 *   preceded by one to three digits not starting with 0 and no other grouping: `1,234` and
 *   `1.234` are AMBIGUOUS_DECIMAL, the caller decides from what it knows of the file.
 * Thousands groups (space, NBSP, narrow NBSP, apostrophe, or the non-decimal mark) must be
 * well formed: 1–3 digits then groups of exactly 3.
 */
export function parseLocaleDecimal(text: string, mark: DecimalMark | null): ParsedDecimal | DecimalParseFailure {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (start === end) return failure('INVALID_NUMBER', 'empty');

  let negative = false;
  const first = text.charCodeAt(start);
  if (first === MINUS || first === MINUS_SIGN) {
    negative = true;
    start++;
  } else if (first === PLUS) {
    start++;
  }
  if (start === end) return failure('INVALID_NUMBER', 'a sign without digits');

  let commaCount = 0;
  let lastComma = -1;
  let pointCount = 0;
  let lastPoint = -1;
  let otherGroupCount = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= ZERO && code <= NINE) continue;
    if (code === COMMA) {
      commaCount++;
      lastComma = i;
    } else if (code === POINT) {
      pointCount++;
      lastPoint = i;
    } else if (groupClassOf(code) !== GROUP_NONE) {
      otherGroupCount++;
    } else {
      return failure('INVALID_NUMBER', `unexpected character '${text.charAt(i)}'`);
    }
  }

  // Position of the decimal mark in `text`, -1 for an integer.
  let decimalAt = -1;
  let provenMark: DecimalMark | null = null;
  if (mark !== null) {
    const count = mark === 'COMMA' ? commaCount : pointCount;
    if (count > 1) return failure('INVALID_NUMBER', `more than one decimal ${mark === 'COMMA' ? 'comma' : 'point'}`);
    decimalAt = mark === 'COMMA' ? lastComma : lastPoint;
  } else if (commaCount > 0 && pointCount > 0) {
    provenMark = lastComma > lastPoint ? 'COMMA' : 'POINT';
    if ((provenMark === 'COMMA' ? commaCount : pointCount) > 1) {
      return failure('INVALID_NUMBER', 'more than one decimal mark');
    }
    decimalAt = provenMark === 'COMMA' ? lastComma : lastPoint;
  } else if (commaCount > 1 || pointCount > 1) {
    // A repeated mark can only group thousands; the file then uses the other one as decimal.
    provenMark = commaCount > 1 ? 'POINT' : 'COMMA';
  } else if (commaCount === 1 || pointCount === 1) {
    const at = commaCount === 1 ? lastComma : lastPoint;
    const integerDigits = at - start;
    const fractionDigits = end - at - 1;
    const couldGroupThousands = otherGroupCount === 0 && fractionDigits === 3 && integerDigits >= 1 && integerDigits <= 3 && text.charCodeAt(start) !== ZERO;
    if (couldGroupThousands) {
      return failure('AMBIGUOUS_DECIMAL', 'could be a decimal or a thousands separator');
    }
    provenMark = commaCount === 1 ? 'COMMA' : 'POINT';
    decimalAt = at;
  }

  const integerEnd = decimalAt === -1 ? end : decimalAt;
  if (integerEnd === start) return failure('INVALID_NUMBER', 'no digit before the decimal mark');

  // Integer part: digits, optionally grouped by one kind of separator.
  let groupClass = GROUP_NONE;
  let groupDigits = 0;
  let groupCount = 0;
  let integerText = '';
  let segmentStart = start;
  for (let i = start; i < integerEnd; i++) {
    const code = text.charCodeAt(i);
    if (code >= ZERO && code <= NINE) {
      groupDigits++;
      continue;
    }
    const separatorClass = groupClassOf(code);
    if (groupClass === GROUP_NONE) groupClass = separatorClass;
    else if (separatorClass !== groupClass) return failure('INVALID_NUMBER', 'mixed thousands separators');
    const validGroup = groupCount === 0 ? groupDigits >= 1 && groupDigits <= 3 : groupDigits === 3;
    if (!validGroup) return failure('INVALID_NUMBER', 'misplaced thousands separator');
    integerText += text.slice(segmentStart, i);
    segmentStart = i + 1;
    groupCount++;
    groupDigits = 0;
  }
  if (groupCount > 0 && groupDigits !== 3) return failure('INVALID_NUMBER', 'misplaced thousands separator');
  integerText = groupCount === 0 ? text.slice(start, integerEnd) : integerText + text.slice(segmentStart, integerEnd);

  let fractionText = '';
  if (decimalAt !== -1) {
    if (decimalAt === end - 1) return failure('INVALID_NUMBER', 'no digit after the decimal mark');
    for (let i = decimalAt + 1; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code < ZERO || code > NINE) return failure('INVALID_NUMBER', 'a separator after the decimal mark');
    }
    let fractionEnd = end;
    while (fractionEnd > decimalAt + 1 && text.charCodeAt(fractionEnd - 1) === ZERO) fractionEnd--;
    fractionText = text.slice(decimalAt + 1, fractionEnd);
  }

  let leadingZeros = 0;
  while (leadingZeros < integerText.length - 1 && integerText.charCodeAt(leadingZeros) === ZERO) leadingZeros++;
  if (leadingZeros > 0) integerText = integerText.slice(leadingZeros);

  const isZero = integerText === '0' && fractionText === '';
  let valueText = fractionText === '' ? integerText : `${integerText}.${fractionText}`;
  if (negative && !isZero) valueText = `-${valueText}`;
  const value = Number(valueText);
  if (!Number.isFinite(value)) return failure('NOT_FINITE', 'too large to be a finite number');
  return { ok: true, valueText, value, provenMark };
}
