import { replaceControlCharacters } from '@pilotage/common';
import type { Locale } from '@pilotage/kpi';

/** One client's part of a digest. */
export interface DigestClient {
  readonly clientId: string;
  readonly clientName: string;
  readonly alerts: readonly { severity: string; status: string; message: string; isNew: boolean }[];
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

const LABELS: Readonly<Record<Locale, { subject: (count: number) => string; intro: string; new: string; stillOpen: string; critical: string; open: string }>> =
  {
    fr: {
      subject: (count) => (count === 1 ? '1 nouvelle alerte sur vos clients' : `${count} nouvelles alertes sur vos clients`),
      intro: 'Voici les alertes de vos clients depuis le dernier récapitulatif.',
      new: 'nouvelle',
      stillOpen: 'toujours ouverte',
      critical: 'critique',
      open: 'Ouvrir Pilotage',
    },
    en: {
      subject: (count) => (count === 1 ? '1 new alert on your clients' : `${count} new alerts on your clients`),
      intro: 'Here are your clients’ alerts since the last digest.',
      new: 'new',
      stillOpen: 'still open',
      critical: 'critical',
      open: 'Open Pilotage',
    },
  };

/** Subject and bodies of a digest: the alerts grouped by client, new ones first, in the agency's language. */
export function buildAlertDigest(input: { locale: Locale; agencyName: string; clients: readonly DigestClient[]; publicUrl: string }): {
  subject: string;
  text: string;
  html: string;
} {
  const labels = LABELS[input.locale];
  const newCount = input.clients.reduce((sum, client) => sum + client.alerts.filter((alert) => alert.isNew).length, 0);
  const tag = (alert: DigestClient['alerts'][number]): string =>
    [alert.isNew ? labels.new : labels.stillOpen, alert.severity === 'CRITICAL' ? labels.critical : null].filter((part) => part !== null).join(', ');
  const ordered = input.clients.map((client) => ({ ...client, alerts: [...client.alerts].sort((a, b) => Number(b.isNew) - Number(a.isNew)) }));
  const text = [
    labels.intro,
    '',
    ...ordered.flatMap((client) => [
      replaceControlCharacters(client.clientName, ' '),
      ...client.alerts.map((alert) => `- ${alert.message} (${tag(alert)})`),
      '',
    ]),
    `${labels.open}: ${input.publicUrl}`,
  ].join('\n');
  const html = [
    `<p>${escapeHtml(labels.intro)}</p>`,
    ...ordered.map(
      (client) =>
        `<h3>${escapeHtml(client.clientName)}</h3><ul>${client.alerts.map((alert) => `<li>${escapeHtml(alert.message)} <em>(${escapeHtml(tag(alert))})</em></li>`).join('')}</ul>`,
    ),
    `<p><a href="${escapeHtml(input.publicUrl)}">${escapeHtml(labels.open)}</a></p>`,
  ].join('\n');
  return { subject: labels.subject(newCount), text, html };
}
