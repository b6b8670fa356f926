import { replaceControlCharacters } from '@pilotage/common';
import type { Locale } from '@pilotage/kpi';

/** Which account e-mail: proof of a sign-up's address, of a new address, or a password reset. */
export type AccountEmailKind = 'VERIFY_SIGN_UP' | 'VERIFY_NEW_EMAIL' | 'RESET_PASSWORD';

export interface AccountEmailFacts {
  readonly kind: AccountEmailKind;
  readonly locale: Locale;
  readonly agencyName: string;
  /** The page of the front-end that takes the token (the token is appended as `?token=`). */
  readonly link: string;
  readonly token: string;
  readonly expiresAt: Date;
}

export interface AccountEmailContent {
  readonly subject: string;
  readonly text: string;
}

const COPY: Readonly<Record<Locale, Readonly<Record<AccountEmailKind, { subject: string; body: string }>>>> = {
  fr: {
    VERIFY_SIGN_UP: { subject: 'Confirmez votre adresse e-mail', body: 'Pour activer votre compte Pilotage pour {agency}, confirmez votre adresse e-mail :' },
    VERIFY_NEW_EMAIL: {
      subject: 'Confirmez votre nouvelle adresse e-mail',
      body: 'Pour utiliser cette adresse avec votre compte Pilotage de {agency}, confirmez-la :',
    },
    RESET_PASSWORD: {
      subject: 'Réinitialisation de votre mot de passe',
      body: 'Pour choisir un nouveau mot de passe pour votre compte Pilotage de {agency} :',
    },
  },
  en: {
    VERIFY_SIGN_UP: { subject: 'Confirm your e-mail address', body: 'To activate your Pilotage account for {agency}, confirm your e-mail address:' },
    VERIFY_NEW_EMAIL: { subject: 'Confirm your new e-mail address', body: 'To use this address with your Pilotage account at {agency}, confirm it:' },
    RESET_PASSWORD: { subject: 'Reset your password', body: 'To choose a new password for your Pilotage account at {agency}:' },
  },
};

const FOOTER: Readonly<Record<Locale, (expires: string) => string>> = {
  fr: (expires) => `Ce lien ne sert qu'une fois et expire le ${expires}. Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.`,
  en: (expires) => `This link works once and expires on ${expires}. If you did not ask for it, ignore this message.`,
};

/** Subject and plain-text body of an account e-mail, in the agency's language. */
export function buildAccountEmail(facts: AccountEmailFacts): AccountEmailContent {
  const copy = COPY[facts.locale][facts.kind];
  const agency = replaceControlCharacters(facts.agencyName, ' ');
  const expires = new Intl.DateTimeFormat(facts.locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(
    facts.expiresAt,
  );
  const url = `${facts.link}?token=${encodeURIComponent(facts.token)}`;
  return {
    subject: copy.subject,
    text: `${copy.body.replace('{agency}', agency)}\n\n${url}\n\nCode: ${facts.token}\n\n${FOOTER[facts.locale](`${expires} UTC`)}\n`,
  };
}
