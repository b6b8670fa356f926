import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_FORMATS,
  type WebhookDeliveryStatus,
  type WebhookEventType,
  type WebhookFormat,
} from '@pilotage/database';
import { enumObject } from '../common/graphql-enums';
import { Connection } from '../common/pagination';

/** GraphQL names cannot hold a dot: ALERT_OPENED stands for the event type 'alert.opened' (the payloads' `type`). */
export const WebhookEventTypeEnum = Object.fromEntries(WEBHOOK_EVENT_TYPES.map((type) => [type.replace('.', '_').toUpperCase(), type])) as Record<
  string,
  WebhookEventType
>;
registerEnumType(WebhookEventTypeEnum, {
  name: 'WebhookEventType',
  description:
    'An event an endpoint may subscribe to; the payload’s `type` and the `Pilotage-Event` header carry the dotted form ' +
    '(ALERT_OPENED = `alert.opened`, IMPORT_COMPLETED = `import.completed`, REPORT_READY = `report.ready`, ...).',
});

export const WebhookFormatEnum = enumObject<WebhookFormat>(WEBHOOK_FORMATS);
registerEnumType(WebhookFormatEnum, {
  name: 'WebhookFormat',
  description:
    'JSON: our payload `{ id, type, occurredAt, agencyId, clientId, data }`, signed in `Pilotage-Signature: t=<unix seconds>,v1=<hex ' +
    'HMAC-SHA256(secret, "<t>.<raw body>")>` (check t within 5 minutes of your clock). SLACK: a Slack incoming webhook message ' +
    '`{ text, blocks }` in the client’s language, unsigned (the Slack URL is itself the secret).',
});

export const WebhookDeliveryStatusEnum = enumObject<WebhookDeliveryStatus>(WEBHOOK_DELIVERY_STATUSES);
registerEnumType(WebhookDeliveryStatusEnum, {
  name: 'WebhookDeliveryStatus',
  description:
    'PENDING: queued, or retried with backoff after a failed attempt (6 attempts over about an hour). SUCCEEDED: the receiver answered 2xx. ' +
    'FAILED: every attempt failed, or the endpoint was disabled before it was sent.',
});

@ObjectType({ description: 'An agency’s outbound webhook endpoint. Its signing secret is never shown again after creation or rotation.' })
export class WebhookEndpoint {
  @Field(() => ID, { description: 'Endpoint id.' })
  id!: string;

  @Field({ description: 'Where deliveries are POSTed. A SLACK endpoint’s URL is a secret: only its origin is shown (`https://hooks.slack.com/…`).' })
  url!: string;

  @Field(() => WebhookFormatEnum, { description: 'What is sent.' })
  format!: WebhookFormat;

  @Field(() => [WebhookEventTypeEnum], { description: 'The events sent to it.' })
  events!: WebhookEventType[];

  @Field(() => String, { nullable: true, description: 'What the endpoint is for, as its owner wrote it.' })
  description!: string | null;

  @Field({ description: 'Whether events are sent to it; a disabled endpoint’s pending deliveries fail unsent.' })
  enabled!: boolean;

  @Field({ description: 'When it was created.' })
  createdAt!: Date;

  @Field({ description: 'When it was last changed (URL, events, state, secret).' })
  updatedAt!: Date;
}

@ObjectType({ description: 'One event sent (or being sent) to one endpoint: the delivery log.' })
export class WebhookDelivery {
  @Field(() => ID, { description: 'Delivery id, the `Pilotage-Delivery` header (the same in every attempt).' })
  id!: string;

  @Field(() => ID, { description: 'The event’s id, the payload’s `id` (the same in every endpoint’s delivery of it: deduplicate on it).' })
  eventId!: string;

  @Field(() => WebhookEventTypeEnum, { description: 'The event’s type.' })
  eventType!: WebhookEventType;

  @Field(() => WebhookDeliveryStatusEnum, { description: 'Where the delivery is.' })
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far.' })
  attempts!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'The HTTP status of the last attempt; null when the receiver did not answer (refused address, timeout, connection).',
  })
  lastStatusCode!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed, with at most a short snippet of the receiver’s answer.' })
  lastError!: string | null;

  @Field({ description: 'When the event happened and the delivery was queued.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the last attempt was made.' })
  lastAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the receiver accepted it.' })
  deliveredAt!: Date | null;
}

@ObjectType({ description: 'A page of webhook endpoints.' })
export class WebhookEndpointConnection extends Connection(WebhookEndpoint, 'WebhookEndpoint') {}

@ObjectType({ description: 'A page of an endpoint’s deliveries.' })
export class WebhookDeliveryConnection extends Connection(WebhookDelivery, 'WebhookDelivery') {}

@ObjectType({ description: 'An endpoint and its signing secret, shown this once: store it now, it cannot be read again (rotate it if lost).' })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint, { description: 'The endpoint.' })
  endpoint!: WebhookEndpoint;

  @Field({ description: 'The signing secret (`whsec_...`): the HMAC-SHA256 key of `Pilotage-Signature`. Shown once.' })
  secret!: string;
}

@ObjectType({ description: 'What a test send gave: a synthetic `{ type: "test" }` payload, signed like real deliveries, sent now (not logged as a delivery).' })
export class WebhookTestResult {
  @Field({ description: 'Whether the receiver answered 2xx.' })
  ok!: boolean;

  @Field(() => Int, { nullable: true, description: 'The receiver’s HTTP status; null when it did not answer.' })
  statusCode!: number | null;

  @Field(() => Int, { description: 'Milliseconds the exchange took.' })
  durationMs!: number;

  @Field(() => String, { nullable: true, description: 'Why it failed (a refused private address, a timeout, the status and a short snippet of the answer).' })
  error!: string | null;
}
