import type { Client } from 'pg';
import { METRIC_MONTHLY_REBUILD_SQL } from '@pilotage/database';

/**
 * Daily values of `metrics` for every client of the database, `days` days from `firstDay`,
 * generated in SQL (a seasonal wave plus a per-client, per-metric offset), one committed import
 * per client, then the monthly roll-up imports maintain rebuilt with the same SQL. Run as the
 * database's superuser (row-level security does not apply to it). The benchmarks measure
 * reading or rendering, not loading (bench:ingest measures that): generating the rows inside
 * the server is as fast as COPY and sends nothing over the wire. Answers the seconds the
 * roll-up took and the number of values.
 */
/**
 * How a client's figures split over channels, sources and campaigns with `channels: true`: the
 * metrics platforms report per channel (CHANNEL_ATTRIBUTABLE_METRICS: traffic, orders, leads…)
 * come from GA4 per default channel group and from the ad and e-mail platforms per campaign
 * (the paid search campaigns change every quarter, as agencies rotate them); the business's
 * totals (customers, marketing cost, support) from one source, unattributed. Shares are of the
 * day's value.
 */
const CHANNEL_MIX = `(VALUES
  ('ORGANIC_SEARCH', 'ga4:properties/312345678', '', 0.35),
  ('PAID_SEARCH', 'google-ads:123-456-7890', 'quarter', 0.25),
  ('PAID_SOCIAL', 'meta:act_1029384756', 'Prospection – Lookalike 2 %', 0.15),
  ('EMAIL', 'brevo', 'Newsletter hebdomadaire', 0.10),
  ('DIRECT', 'ga4:properties/312345678', '', 0.15)
) AS g(channel, source, campaign, share)`;

export async function seedDailyMetricValues(
  owner: Client,
  options: {
    readonly agencyId: string;
    readonly metrics: readonly string[];
    readonly firstDay: string;
    readonly days: number;
    /** Split the attributable metrics over CHANNEL_MIX (five groups), the others on OTHER. */
    readonly channels?: { readonly attributableMetrics: readonly string[] };
  },
): Promise<{ rows: number; rollupSeconds: number }> {
  await owner.query(
    `INSERT INTO metric_imports (agency_id, id, client_id, kind, file_name, status, rows, inserted, updated, unchanged, errors, created_by)
     SELECT $1, c.id, c.id, 'API', NULL, 'COMMITTED', 0, 0, 0, 0, '[]'::jsonb, NULL FROM clients c`,
    [options.agencyId],
  );
  if (options.channels) {
    await owner.query(
      `INSERT INTO metric_values (agency_id, client_id, metric_key, date, source, channel, campaign, granularity, value, import_batch_id, entered_by)
       SELECT $1::uuid, c.id, m.key, d::date, g.source, g.channel,
              CASE WHEN g.campaign = 'quarter' THEN 'Search – ' || to_char(d, 'YYYY "T"Q') ELSE g.campaign END, 'DAY',
              round(((100 + 50 * sin(extract(doy FROM d) / 58.0) + (hashtext(c.id::text || m.key || g.channel) % 40)) * g.share)::numeric, 2),
              c.id, NULL::uuid
         FROM clients c
        CROSS JOIN unnest($2::text[]) AS m(key)
        CROSS JOIN generate_series($3::date, $3::date + ($4::int - 1), interval '1 day') AS d
        CROSS JOIN ${CHANNEL_MIX}
       WHERE m.key = ANY($5::text[])
       UNION ALL
       SELECT $1::uuid, c.id, m.key, d::date, 'bench', 'OTHER', '', 'DAY',
              round((100 + 50 * sin(extract(doy FROM d) / 58.0) + (hashtext(c.id::text || m.key) % 40))::numeric, 2),
              c.id, NULL::uuid
         FROM clients c
        CROSS JOIN unnest($2::text[]) AS m(key)
        CROSS JOIN generate_series($3::date, $3::date + ($4::int - 1), interval '1 day') AS d
       WHERE NOT m.key = ANY($5::text[])`,
      [options.agencyId, [...options.metrics], options.firstDay, options.days, [...options.channels.attributableMetrics]],
    );
  } else
    await owner.query(
      `INSERT INTO metric_values (agency_id, client_id, metric_key, date, source, granularity, value, import_batch_id, entered_by)
     SELECT $1, c.id, m.key, d::date, 'bench', 'DAY',
            round((100 + 50 * sin(extract(doy FROM d) / 58.0) + (hashtext(c.id::text || m.key) % 40))::numeric, 2),
            c.id, NULL
       FROM clients c
      CROSS JOIN unnest($2::text[]) AS m(key)
      CROSS JOIN generate_series($3::date, $3::date + ($4::int - 1), interval '1 day') AS d`,
      [options.agencyId, [...options.metrics], options.firstDay, options.days],
    );
  const rollupStarted = Date.now();
  await owner.query(METRIC_MONTHLY_REBUILD_SQL);
  const rollupSeconds = (Date.now() - rollupStarted) / 1000;
  await owner.query('ANALYZE metric_values');
  await owner.query('ANALYZE metric_monthly');
  const [{ n: rows }] = (await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM metric_values')).rows;
  return { rows, rollupSeconds };
}
