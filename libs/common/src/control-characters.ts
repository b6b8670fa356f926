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
