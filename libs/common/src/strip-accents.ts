/**
 * The text without its accents and compatibility forms ("Métrique" → "Metrique",
 * "ﬁ" → "fi"), for comparisons that must not depend on how a spreadsheet or a person typed a
 * letter, and for ASCII slugs. NFKD splits each accented letter into its base letter and
 * combining marks (U+0300–U+036F), which are then dropped; case and spacing are left to the
 * caller.
 */
export function stripAccents(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}
