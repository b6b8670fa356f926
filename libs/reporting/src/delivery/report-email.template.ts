import { replaceControlCharacters } from '@pilotage/common';
export type ReportEmailLocale = 'fr' | 'en';

export interface ReportEmailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface ReportEmailFacts {
  readonly locale: ReportEmailLocale;
  readonly agencyName: string;
  readonly clientName: string;
  /** Already localized by the caller ("octobre 2026", "October 2026"). */
  readonly periodLabel: string;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** Names come from agency input: line breaks must not reach a header or reshape the text. */
function singleLine(text: string): string {
  return replaceControlCharacters(text, ' ');
}

/** Subject and bodies of the monthly report e-mail, plain text and simple HTML. */
export function buildReportEmail(facts: ReportEmailFacts): ReportEmailContent {
  const agency = singleLine(facts.agencyName);
  const client = singleLine(facts.clientName);
  const period = singleLine(facts.periodLabel);
  const copy =
    facts.locale === 'fr'
      ? {
          subject: `Votre rapport de performance – ${period}`,
          greeting: 'Bonjour,',
          body: (c: string, p: string) => `Veuillez trouver ci-joint le rapport de performance de ${c} pour ${p}.`,
          closing: 'Bien cordialement,',
        }
      : {
          subject: `Your performance report – ${period}`,
          greeting: 'Hello,',
          body: (c: string, p: string) => `Please find attached the performance report of ${c} for ${p}.`,
          closing: 'Kind regards,',
        };
  const text = [copy.greeting, '', copy.body(client, period), '', copy.closing, agency, ''].join('\n');
  const html =
    `<!doctype html><html lang="${facts.locale}"><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#1f2933">` +
    `<p>${escapeHtml(copy.greeting)}</p>` +
    `<p>${copy.body(`<strong>${escapeHtml(client)}</strong>`, escapeHtml(period))}</p>` +
    `<p>${escapeHtml(copy.closing)}<br>${escapeHtml(agency)}</p>` +
    '</body></html>';
  return { subject: copy.subject, text, html };
}
