import type { Locale } from '@pilotage/kpi';
import type { WebhookFormat } from '@pilotage/database';
import { slackMessageOf } from './slack-message';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from './webhook-signature';

/** What is POSTed for one delivery: the raw body exactly as signed, and its headers. */
export interface WebhookRequest {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The request of a delivery. JSON: the payload, signed at send time (a fresh `t` per attempt,
 * so a retry hours later is still within a receiver's tolerance). SLACK: the message only, no
 * signature (Slack does not check one; the URL itself is the secret).
 */
export function webhookRequestOf(input: {
  readonly format: WebhookFormat;
  readonly secret: string;
  readonly deliveryId: string;
  readonly eventType: string;
  readonly payload: { readonly type: string; readonly data: Readonly<Record<string, unknown>> };
  readonly locale: Locale;
  readonly clientName: string | null;
  readonly now?: Date;
}): WebhookRequest {
  if (input.format === 'SLACK') {
    return {
      body: JSON.stringify(slackMessageOf({ type: input.payload.type as 'test', data: { ...input.payload.data } }, input.locale, input.clientName)),
      headers: {},
    };
  }
  const body = JSON.stringify(input.payload);
  const timestamp = Math.floor((input.now ?? new Date()).getTime() / 1000);
  return {
    body,
    headers: {
      [SIGNATURE_HEADER]: signatureHeader(input.secret, timestamp, body),
      [EVENT_HEADER]: input.eventType,
      [DELIVERY_HEADER]: input.deliveryId,
    },
  };
}
