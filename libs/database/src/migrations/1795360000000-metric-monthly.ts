import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { METRIC_MONTHLY_REBUILD_SQL } from '../metric-monthly-rollup';
import { secureTenantTable } from './1795332700000-tenant-security';

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
    await queryRunner.query(METRIC_MONTHLY_REBUILD_SQL);
    await secureTenantTable(queryRunner, 'metric_monthly');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "metric_monthly"`);
  }
}
