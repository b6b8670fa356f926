import { createHash } from 'node:crypto';
import type { AuthorizationOutcome } from '@pilotage/connectors';

/** The page's only style, allowed by its hash: the policy is `default-src 'none'`, no script, no request of any kind. */
const STYLE =
  'body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1f2933;line-height:1.5}' +
  'h1{font-size:1.3rem;margin:0 0 .25rem}p{margin:.25rem 0 1rem}hr{border:0;border-top:1px solid #d9e2ec;margin:1.5rem 0}';

/** The response headers of the page: nothing loads, nothing frames it, no referrer carries the callback's query anywhere. */
export const CALLBACK_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

interface PageText {
  readonly title: string;
  readonly detail: string;
}

/** The same outcome in French and English: the account owner may be the client, in either language. */
function textsOf(outcome: AuthorizationOutcome): { fr: PageText; en: PageText } {
  switch (outcome.kind) {
    case 'CONNECTED':
      return {
        fr: {
          title: 'Compte connecté, vous pouvez fermer cette fenêtre',
          detail: `Le compte ${outcome.platform} ${outcome.accountId} est connecté : ses chiffres seront récupérés chaque jour.`,
        },
        en: {
          title: 'Account connected, you can close this window',
          detail: `${outcome.platform} account ${outcome.accountId} is connected: its figures will be pulled every day.`,
        },
      };
    case 'DECLINED':
      return {
        fr: { title: 'Accès refusé', detail: `L’accès au compte ${outcome.platform} a été refusé ; l’agence peut vous envoyer un nouveau lien.` },
        en: { title: 'Access declined', detail: `${outcome.reason}. The agency can send you a new link.` },
      };
    case 'REFUSED':
      return {
        fr: {
          title: 'La connexion n’a pas abouti',
          detail: 'Le compte n’est pas connecté. Raison (en anglais) ci-dessous ; demandez un nouveau lien à l’agence.',
        },
        en: { title: 'The account could not be connected', detail: outcome.reason },
      };
  }
}

/** The small self-contained page the platform's redirect lands on: the outcome, never the code, the state or a token. */
export function callbackPage(outcome: AuthorizationOutcome): string {
  const { fr, en } = textsOf(outcome);
  return [
    '<!doctype html>',
    '<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>Pilotage — ${escapeHtml(fr.title)} / ${escapeHtml(en.title)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<section><h1>${escapeHtml(fr.title)}</h1><p>${escapeHtml(fr.detail)}</p></section>`,
    '<hr>',
    `<section lang="en"><h1>${escapeHtml(en.title)}</h1><p>${escapeHtml(en.detail)}</p></section>`,
    '</body></html>',
  ].join('\n');
}
