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
export async function seedDailyMetricValues(
  owner: Client,
  options: { readonly agencyId: string; readonly metrics: readonly string[]; readonly firstDay: string; readonly days: number },
): Promise<{ rows: number; rollupSeconds: number }> {
  await owner.query(
    `INSERT INTO metric_imports (agency_id, id, client_id, kind, file_name, status, rows, inserted, updated, unchanged, errors, created_by)
     SELECT $1, c.id, c.id, 'API', NULL, 'COMMITTED', 0, 0, 0, 0, '[]'::jsonb, NULL FROM clients c`,
    [options.agencyId],
  );
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
