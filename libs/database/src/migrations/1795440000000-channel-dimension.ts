import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { CHANNELS } from '@pilotage/kpi';
import { METRIC_MONTHLY_REBUILD_SQL } from '../metric-monthly-rollup';
import { secureTenantTable } from './1795332700000-tenant-security';

const CHANNEL_LIST = CHANNELS.map((channel) => `'${channel}'`).join(', ');

/**
 * The channel dimension (#13). Every metric value carries a channel from a fixed list and a
 * campaign ('' for none) next to its source, all three in the natural key: GA4 reports one
 * property's sessions per channel group, Google Ads one account's spend per campaign, and each
 * of those figures is a value of its own, replaced (never added) when re-imported.
 *
 * `metric_monthly` keeps the dimension: one row per metric, month, channel, source and campaign.
 * Its `covered_days` becomes `day_mask`, the days of the month the group covers as bits (bit 0 =
 * the 1st), because a total's coverage is the union of its groups' days, which counts cannot give.
 *
 * `client_source_channels` maps a source to a channel per client, for values sent without one.
 * Existing values are put in OTHER (nothing said where they came from) and the roll-up rebuilt.
 */
export class ChannelDimension1795440000000 implements MigrationInterface {
  name = 'ChannelDimension1795440000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "metric_values"
        ADD "channel" text NOT NULL DEFAULT 'OTHER' CONSTRAINT "metric_values_channel_check" CHECK ("channel" IN (${CHANNEL_LIST})),
        ADD "campaign" text NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE "metric_values" DROP CONSTRAINT "metric_values_pkey"`);
    await queryRunner.query(`
      ALTER TABLE "metric_values"
        ADD CONSTRAINT "metric_values_pkey" PRIMARY KEY ("agency_id", "client_id", "metric_key", "date", "source", "channel", "campaign")`);

    await queryRunner.query(`DELETE FROM "metric_monthly"`);
    await queryRunner.query(`ALTER TABLE "metric_monthly" DROP CONSTRAINT "metric_monthly_pkey"`);
    await queryRunner.query(`
      ALTER TABLE "metric_monthly"
        DROP COLUMN "covered_days",
        ADD "channel" text NOT NULL,
        ADD "source" text NOT NULL,
        ADD "campaign" text NOT NULL,
        ADD "day_mask" bigint NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE "metric_monthly"
        ADD CONSTRAINT "metric_monthly_pkey" PRIMARY KEY ("agency_id", "client_id", "metric_key", "month", "channel", "source", "campaign")`);
    await queryRunner.query(METRIC_MONTHLY_REBUILD_SQL);

    await queryRunner.query(`
      CREATE TABLE "client_source_channels" (
        "agency_id" uuid NOT NULL,
        "client_id" uuid NOT NULL,
        "source" text NOT NULL,
        "channel" text NOT NULL CONSTRAINT "client_source_channels_channel_check" CHECK ("channel" IN (${CHANNEL_LIST})),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "client_source_channels_pkey" PRIMARY KEY ("agency_id", "client_id", "source"),
        CONSTRAINT "client_source_channels_client_fkey" FOREIGN KEY ("agency_id", "client_id")
          REFERENCES "clients" ("agency_id", "id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await secureTenantTable(queryRunner, 'client_source_channels');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "client_source_channels"`);
    await queryRunner.query(`DELETE FROM "metric_monthly"`);
    await queryRunner.query(`ALTER TABLE "metric_monthly" DROP CONSTRAINT "metric_monthly_pkey"`);
    await queryRunner.query(
      `ALTER TABLE "metric_monthly" DROP COLUMN "channel", DROP COLUMN "source", DROP COLUMN "campaign", DROP COLUMN "day_mask", ADD "covered_days" integer NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "metric_monthly" ADD CONSTRAINT "metric_monthly_pkey" PRIMARY KEY ("agency_id", "client_id", "metric_key", "month")`);
    // Values that differ only by channel or campaign are added up into one (the former key).
    await queryRunner.query(`
      CREATE TEMPORARY TABLE "metric_values_merged" AS
      SELECT agency_id, client_id, metric_key, date, source, max(granularity) AS granularity, sum(value) AS value,
             (array_agg(import_batch_id))[1] AS import_batch_id, (array_agg(entered_by))[1] AS entered_by, max(updated_at) AS updated_at
        FROM metric_values GROUP BY agency_id, client_id, metric_key, date, source`);
    await queryRunner.query(`DELETE FROM "metric_values"`);
    await queryRunner.query(`ALTER TABLE "metric_values" DROP CONSTRAINT "metric_values_pkey"`);
    await queryRunner.query(`ALTER TABLE "metric_values" DROP COLUMN "channel", DROP COLUMN "campaign"`);
    await queryRunner.query(
      `ALTER TABLE "metric_values" ADD CONSTRAINT "metric_values_pkey" PRIMARY KEY ("agency_id", "client_id", "metric_key", "date", "source")`,
    );
    await queryRunner.query(`
      INSERT INTO metric_values (agency_id, client_id, metric_key, date, source, granularity, value, import_batch_id, entered_by, updated_at)
      SELECT agency_id, client_id, metric_key, date, source, granularity, value, import_batch_id, entered_by, updated_at FROM metric_values_merged`);
    await queryRunner.query(`DROP TABLE "metric_values_merged"`);
    await queryRunner.query(`
      INSERT INTO metric_monthly (agency_id, client_id, metric_key, month, sum_value, last_date, last_value, covered_days)
      SELECT agency_id, client_id, metric_key, date_trunc('month', date)::date, sum(value), max(date),
             (max(ARRAY[(date - DATE '2000-01-01')::numeric, value]))[2],
             sum(CASE granularity WHEN 'DAY' THEN 1 WHEN 'WEEK' THEN 7
                 ELSE extract(day FROM date_trunc('month', date) + interval '1 month - 1 day') END)::int
        FROM metric_values GROUP BY agency_id, client_id, metric_key, date_trunc('month', date)`);
  }
}
