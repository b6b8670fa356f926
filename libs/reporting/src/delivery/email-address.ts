const MAX_ADDRESS_LENGTH = 254;
/**
 * Pragmatic addr-spec: a dot-atom local part and a domain of letter/digit/hyphen labels with
 * a dot. Stricter than RFC 5322 on purpose: quoted local parts, comments and IP literals are
 * legal but never what a client contact types, and refusing them rules out header injection
 * (no spaces, angle brackets, commas or line breaks can get through).
 */
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}$/;

export function isEmailAddress(value: string): boolean {
  if (value.length > MAX_ADDRESS_LENGTH || !ADDRESS.test(value)) return false;
  const local = value.slice(0, value.lastIndexOf('@'));
  return local.length <= 64 && !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}

/** "Agence <rapports@agence.example>" (SMTP_FROM) or a bare address → the address a mailer sends from. */
export function senderAddressOf(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1]?.trim() ?? from.trim();
}
