/**
 * Runs of C0 control characters and DEL, plus the Unicode line and paragraph separators: what
 * must never reach a mail header, a file name or a single-line text (header injection, broken
 * layouts).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

/** `text` with each run of control characters replaced by `replacement`, trimmed. */
export function replaceControlCharacters(text: string, replacement: string): string {
  return text.replace(CONTROL_CHARACTERS, replacement).trim();
}

/**
 * Control characters that no text typed by a person contains: C0 (NUL, ESC, ...), DEL, C1 and
 * the Unicode line/paragraph separators. PostgreSQL refuses NUL in text and jsonb outright
 * (an INTERNAL_SERVER_ERROR if it gets that far); the others break mail headers, file names
 * and PDF layouts.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_IN_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex -- the same, with tab, line feed and carriage return allowed
const FORBIDDEN_IN_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/;

/** The first control character of `text` that its kind of text may not hold, e.g. "U+0000 at character 4"; null when clean. */
export function findControlCharacter(text: string, kind: 'SINGLE_LINE' | 'MULTILINE'): string | null {
  const match = (kind === 'SINGLE_LINE' ? FORBIDDEN_IN_SINGLE_LINE : FORBIDDEN_IN_MULTILINE).exec(text);
  if (match === null) return null;
  const codePoint = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `U+${codePoint} at character ${match.index + 1}`;
}

/**
 * White space and the invisible characters a copy-paste brings along: format characters (\p{Cf}:
 * zero-width space U+200B, joiners, BOM U+FEFF, bidi marks), the Hangul fillers and the braille
 * blank. A name made only of these looks empty wherever it is shown.
 */
const INVISIBLE = /[\p{White_Space}\p{Cf}\u115f\u1160\u3164\uffa0\u2800]/gu;

/** Whether `text` shows nothing: empty once white space and invisible characters are removed. */
export function isBlankText(text: string): boolean {
  return text.replace(INVISIBLE, '') === '';
}
