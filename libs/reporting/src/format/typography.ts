/**
 * Typographic apostrophe (U+2019) for the straight one between two letters, in French and in
 * English ("l’objectif", "client’s"). Quotes and primes elsewhere are left as typed.
 */
export function typographicApostrophes(text: string): string {
  return text.replace(/(\p{L})'(?=\p{L})/gu, '$1\u2019');
}
