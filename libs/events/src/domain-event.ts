import type { WebhookEventType } from '@pilotage/database';

/**
 * Something that happened in an agency that its webhook endpoints may subscribe to. `data` holds
 * ids and figures only (never a secret, never a token): the payload a receiver gets.
 */
export interface DomainEvent {
  /** Unique per event, the same in every endpoint's delivery: receivers deduplicate on it. */
  readonly id: string;
  readonly type: WebhookEventType;
  readonly agencyId: string;
  readonly clientId: string | null;
  readonly occurredAt: Date;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The body a JSON endpoint receives (its HMAC signature covers `timestamp.body`). */
export interface WebhookPayload {
  readonly id: string;
  readonly type: WebhookEventType;
  readonly occurredAt: string;
  readonly agencyId: string;
  readonly clientId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export function webhookPayloadOf(event: DomainEvent): WebhookPayload {
  return {
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    agencyId: event.agencyId,
    clientId: event.clientId,
    data: event.data,
  };
}
