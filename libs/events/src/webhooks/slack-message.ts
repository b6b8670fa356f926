import type { Locale } from '@pilotage/kpi';
import type { WebhookPayload } from '../domain-event';

/** A Slack incoming webhook's body (https://api.slack.com/messaging/webhooks): `text` is the notification's fallback, `blocks` the message. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
}

const TITLES: Readonly<Record<Locale, Readonly<Record<string, string>>>> = {
  en: {
    'alert.opened': 'Alert opened',
    'alert.resolved': 'Alert resolved',
    'import.completed': 'Import completed',
    'report.ready': 'Report ready',
    'report.approved': 'Report approved',
    'report.sent': 'Report sent',
    'restatement.found': 'Figures changed under a report',
    test: 'Test message from Pilotage',
  },
  fr: {
    'alert.opened': 'Alerte ouverte',
    'alert.resolved': 'Alerte résolue',
    'import.completed': 'Import terminé',
    'report.ready': 'Rapport prêt',
    'report.approved': 'Rapport approuvé',
    'report.sent': 'Rapport envoyé',
    'restatement.found': 'Chiffres modifiés sous un rapport',
    test: 'Message de test de Pilotage',
  },
};

const LABELS: Readonly<Record<Locale, Readonly<Record<string, string>>>> = {
  en: {
    client: 'Client',
    inserted: 'New values',
    updated: 'Changed values',
    unchanged: 'Unchanged values',
    kind: 'Source',
    period: 'Period',
    kpi: 'KPI',
    message: 'Details',
  },
  fr: {
    client: 'Client',
    inserted: 'Nouvelles valeurs',
    updated: 'Valeurs modifiées',
    unchanged: 'Valeurs inchangées',
    kind: 'Source',
    period: 'Période',
    kpi: 'KPI',
    message: 'Détails',
  },
};

/** Scalar fields of the event shown in the message, in this order (ids are left to the JSON format). */
const SHOWN_FIELDS = ['kpi', 'period', 'message', 'kind', 'inserted', 'updated', 'unchanged'] as const;

/**
 * The event summarized for a channel, in `locale` (the client's language, else the agency's).
 * Slack's mrkdwn treats `&`, `<` and `>` as control characters: escaped in every value
 * (https://api.slack.com/reference/surfaces/formatting#escaping).
 */
export function slackMessageOf(
  payload: Pick<WebhookPayload, 'type' | 'data'> | { type: 'test'; data: Record<string, unknown> },
  locale: Locale,
  clientName: string | null,
): SlackMessage {
  const title = TITLES[locale][payload.type] ?? payload.type;
  const labels = LABELS[locale];
  const fields: string[] = [];
  if (clientName !== null) fields.push(`*${labels.client}:* ${escapeMrkdwn(clientName)}`);
  for (const key of SHOWN_FIELDS) {
    const value = payload.data[key];
    if (typeof value === 'string' || typeof value === 'number') fields.push(`*${labels[key]}:* ${escapeMrkdwn(String(value))}`);
  }
  const text = clientName === null ? title : `${title} — ${clientName}`;
  const blocks: Record<string, unknown>[] = [{ type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } }];
  // A section holds at most 10 fields (Block Kit reference: section block).
  if (fields.length > 0) blocks.push({ type: 'section', fields: fields.slice(0, 10).map((field) => ({ type: 'mrkdwn', text: field })) });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `\`${payload.type}\`` }] });
  return { text, blocks };
}

function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
