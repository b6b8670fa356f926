import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { secureTenantTable } from './1795332700000-tenant-security';

/**
 * The roll-up as this migration defined it, frozen here: the live one (metric-monthly-rollup.ts)
 * has followed the table since (the channel dimension, 1795440000000).
 */
const BACKFILL_SQL = `
INSERT INTO metric_monthly (agency_id, client_id, metric_key, month, sum_value, last_date, last_value, covered_days)
SELECT agency_id, client_id, metric_key, month,
       sum(value),
       max(date),
       (max(ARRAY[(date - DATE '2000-01-01')::numeric, value]))[2],
       sum(CASE granularity
             WHEN 'DAY' THEN 1
             WHEN 'WEEK' THEN 7
             ELSE extract(day FROM date_trunc('month', date) + interval '1 month - 1 day')
           END)::int
  FROM (
    SELECT v.agency_id, v.client_id, v.metric_key, v.date, date_trunc('month', v.date)::date AS month,
           sum(v.value) AS value, max(v.granularity) AS granularity
      FROM metric_values AS v
     GROUP BY v.agency_id, v.client_id, v.metric_key, v.date
  ) AS daily
 GROUP BY agency_id, client_id, metric_key, month`;

/**
 * `metric_monthly`, the monthly roll-up of metric values that month, quarter and year figures
 * read (see MetricMonthlyEntity), backfilled from the values already stored. The backfill runs
 * as the migrating owner: a superuser or BYPASSRLS role, as for every migration here.
 */
export class MetricMonthly1795360000000 implements MigrationInterface {
  name = 'MetricMonthly1795360000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "metric_monthly" (
        "agency_id" uuid NOT NULL,
        "client_id" uuid NOT NULL,
        "metric_key" text NOT NULL,
        "month" date NOT NULL,
        "sum_value" numeric NOT NULL,
        "last_date" date NOT NULL,
        "last_value" numeric NOT NULL,
        "covered_days" integer NOT NULL,
        CONSTRAINT "metric_monthly_pkey" PRIMARY KEY ("agency_id", "client_id", "metric_key", "month"),
        CONSTRAINT "metric_monthly_client_fkey" FOREIGN KEY ("agency_id", "client_id")
          REFERENCES "clients" ("agency_id", "id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(BACKFILL_SQL);
    await secureTenantTable(queryRunner, 'metric_monthly');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "metric_monthly"`);
  }
}
