import type { SendOptions } from 'pg-boss';
import { JobQueue } from '@pilotage/database';

/**
 * A client's metric values changed (an import or a sync chunk committed): its alerts are
 * evaluated and its sent reports checked for restatements. Debounced per client.
 */
export const METRICS_CHANGED_QUEUE = 'metrics.changed';
/** A client's values changed: its READY, APPROVED and SENT reports are checked for restatements. Debounced per client. */
export const RESTATEMENT_CHECK_QUEUE = 'restatements.check';
/** Sends one webhook delivery (webhook_deliveries row). */
export const WEBHOOK_DELIVERY_QUEUE = 'webhooks.deliver';

export interface MetricsChangedJob {
  readonly agencyId: string;
  readonly clientId: string;
  /** The client's local date to judge (the daily run's); absent: the date when the job runs. */
  readonly today?: string;
}

export interface WebhookDeliveryJob {
  readonly agencyId: string;
  readonly deliveryId: string;
}

/**
 * Retries of a delivery: 6 attempts, the wait doubling from 10 s up to an hour (pg-boss adds
 * jitter): a receiver down for a deploy gets its events minutes later; one down for the day
 * has them logged as FAILED, with the last status code and error.
 */
export const WEBHOOK_DELIVERY_JOB_OPTIONS: Readonly<SendOptions> = {
  retryLimit: 5,
  retryDelay: 10,
  retryBackoff: true,
  retryDelayMax: 3600,
  expireInSeconds: 120,
};

/** Retries of a client's evaluation after its values changed (a database hiccup). */
export const METRICS_CHANGED_JOB_OPTIONS: Readonly<SendOptions> = {
  retryLimit: 3,
  retryDelay: 30,
  retryBackoff: true,
  expireInSeconds: 300,
};

/** The queue of domain events' follow-ups (evaluations, webhook deliveries). See {@link JobQueue} for the roles. */
export class EventJobQueue extends JobQueue {}
