import type { EntityManager } from 'typeorm';
import { isChannel, type Channel } from '@pilotage/kpi';
import { METRIC_MONTHLY_CLEAR_SQL, METRIC_MONTHLY_REFRESH_SQL } from '../metric-monthly-rollup';
import { lockForTransaction } from './transaction-lock';

/*
 * A client's choices of channel per source (client_source_channels) and the moves of a source's
 * values they entail. Every function runs on the caller's tenant transaction.
 */

interface ClientRef {
  readonly agencyId: string;
  readonly clientId: string;
}

/** A source of a client as its values and its mapping show it. */
export interface ClientSourceSummary {
  readonly source: string;
  /** Channels its values carry, in CHANNELS order of their keys; empty for a mapping without values. */
  readonly valueChannels: readonly Channel[];
  readonly valueCount: number;
  /** The client's choice, or null when the source follows the default. */
  readonly chosenChannel: Channel | null;
}

/** Two values of one source that one channel would turn into the same key. */
export interface SourceChannelClash {
  readonly metricKey: string;
  readonly date: string;
  readonly campaign: string;
  readonly channels: readonly string[];
}

function channelOrNull(value: unknown): Channel | null {
  return typeof value === 'string' && isChannel(value) ? value : null;
}

/** The client's source → channel choices, for an import to resolve values sent without a channel. */
export async function loadSourceChannels(manager: EntityManager, client: ClientRef): Promise<Map<string, Channel>> {
  const rows: unknown = await manager.query(`SELECT source, channel FROM client_source_channels WHERE agency_id = $1 AND client_id = $2`, [
    client.agencyId,
    client.clientId,
  ]);
  const choices = new Map<string, Channel>();
  if (!Array.isArray(rows)) return choices;
  for (const row of rows as { source?: unknown; channel?: unknown }[]) {
    const channel = channelOrNull(row.channel);
    if (typeof row.source === 'string' && channel !== null) choices.set(row.source, channel);
  }
  return choices;
}

/**
 * Every source of the client: those its values name (with their channels and count) and those
 * it chose a channel for before any value came. At most `limit` sources, by name; only
 * `onlySource` when given.
 */
export async function listClientSources(
  manager: EntityManager,
  client: ClientRef,
  limit: number,
  onlySource: string | null = null,
): Promise<ClientSourceSummary[]> {
  const rows: unknown = await manager.query(
    `WITH seen AS (
       SELECT source, array_agg(DISTINCT channel ORDER BY channel) AS channels, count(*)::int AS value_count
         FROM metric_values WHERE agency_id = $1 AND client_id = $2 AND ($4::text IS NULL OR source = $4)
        GROUP BY source)
     SELECT coalesce(seen.source, chosen.source) AS source, coalesce(seen.channels, '{}') AS channels,
            coalesce(seen.value_count, 0) AS value_count, chosen.channel AS chosen_channel
       FROM seen
       FULL JOIN (SELECT source, channel FROM client_source_channels
                   WHERE agency_id = $1 AND client_id = $2 AND ($4::text IS NULL OR source = $4)) AS chosen
         ON chosen.source = seen.source
      ORDER BY 1
      LIMIT $3`,
    [client.agencyId, client.clientId, limit, onlySource],
  );
  if (!Array.isArray(rows)) return [];
  return (rows as { source: string; channels: string[]; value_count: number; chosen_channel: string | null }[]).map((row) => ({
    source: row.source,
    valueChannels: row.channels.filter(isChannel),
    valueCount: row.value_count,
    chosenChannel: channelOrNull(row.chosen_channel),
  }));
}

/** Stores (or replaces) the client's channel for a source. */
export async function saveSourceChannel(manager: EntityManager, client: ClientRef, source: string, channel: Channel): Promise<void> {
  await manager.query(
    `INSERT INTO client_source_channels (agency_id, client_id, source, channel, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (agency_id, client_id, source) DO UPDATE SET channel = EXCLUDED.channel, updated_at = EXCLUDED.updated_at`,
    [client.agencyId, client.clientId, source, channel],
  );
}

/** Forgets the client's channel for a source; true when there was one. */
export async function deleteSourceChannel(manager: EntityManager, client: ClientRef, source: string): Promise<Channel | null> {
  const rows: unknown = await manager.query(`DELETE FROM client_source_channels WHERE agency_id = $1 AND client_id = $2 AND source = $3 RETURNING channel`, [
    client.agencyId,
    client.clientId,
    source,
  ]);
  const first: unknown = Array.isArray(rows) ? rows[0] : undefined;
  return typeof first === 'object' && first !== null && 'channel' in first ? channelOrNull(first.channel) : null;
}

/**
 * The first (metric, date, campaign) of a source held by values of several channels: moving
 * them all to one channel would make them one key (GA4 reports one property's sessions per
 * channel group). Null when the move is safe.
 */
export async function findSourceChannelClash(manager: EntityManager, client: ClientRef, source: string): Promise<SourceChannelClash | null> {
  const rows: unknown = await manager.query(
    `SELECT metric_key, date::text AS date, campaign, array_agg(channel ORDER BY channel) AS channels
       FROM metric_values
      WHERE agency_id = $1 AND client_id = $2 AND source = $3
      GROUP BY metric_key, date, campaign
     HAVING count(*) > 1
      ORDER BY date, metric_key, campaign
      LIMIT 1`,
    [client.agencyId, client.clientId, source],
  );
  const first = Array.isArray(rows) ? (rows[0] as { metric_key: string; date: string; campaign: string; channels: string[] } | undefined) : undefined;
  return first === undefined ? null : { metricKey: first.metric_key, date: first.date, campaign: first.campaign, channels: first.channels };
}

/**
 * Moves every value of a source to `channel` and rebuilds the roll-up of the months it touched
 * (cleared first: the groups of the old channel must disappear). The client's roll-up lock is
 * taken after the UPDATE, in the order imports take theirs (their rows, then the lock before
 * the refresh): the other order deadlocks with an import writing the source's rows. Once the
 * lock is held, the rebuild sees every import that refreshed before it. The caller checked
 * {@link findSourceChannelClash}.
 */
export async function moveSourceValuesToChannel(manager: EntityManager, client: ClientRef, source: string, channel: Channel): Promise<number> {
  const rows: unknown = await manager.query(
    `WITH moved AS (
       UPDATE metric_values SET channel = $4, updated_at = now()
        WHERE agency_id = $1 AND client_id = $2 AND source = $3 AND channel <> $4
       RETURNING metric_key, date_trunc('month', date)::date AS month)
     SELECT count(*)::int AS moved, coalesce(array_agg(DISTINCT metric_key || '|' || month::text), '{}') AS months FROM moved`,
    [client.agencyId, client.clientId, source, channel],
  );
  const first = Array.isArray(rows) ? (rows[0] as { moved: number; months: string[] } | undefined) : undefined;
  if (first === undefined || first.moved === 0) return 0;
  const metricKeys: string[] = [];
  const months: string[] = [];
  for (const touched of first.months) {
    const separator = touched.lastIndexOf('|');
    metricKeys.push(touched.slice(0, separator));
    months.push(touched.slice(separator + 1));
  }
  const parameters = [client.agencyId, client.clientId, metricKeys, months];
  await lockForTransaction(manager, `metric_monthly:${client.clientId}`);
  await manager.query(METRIC_MONTHLY_CLEAR_SQL, parameters);
  await manager.query(METRIC_MONTHLY_REFRESH_SQL, parameters);
  return first.moved;
}
