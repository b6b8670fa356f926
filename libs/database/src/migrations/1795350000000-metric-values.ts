import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { secureTenantTable } from './1795332700000-tenant-security';

/**
 * Metric values and the import batches that write them. Hand-written, kept identical to the
 * entities (test/schema/migrations.e2e-spec.ts diffs them).
 *
 * `metric_values` has its natural key as primary key and no other index: the upsert needs it,
 * reads go by (agency, client, metric, date range), and each extra index would slow the
 * million-row imports. `value` is numeric(20,4): money exact to the cent, never a float.
 */
export class MetricValues1795350000000 implements MigrationInterface {
  name = 'MetricValues1795350000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "metric_imports" (
        "agency_id" uuid NOT NULL,
        "id" uuid NOT NULL,
        "client_id" uuid NOT NULL,
        "kind" text NOT NULL,
        "file_name" text,
        "status" text NOT NULL,
        "rows" integer NOT NULL,
        "inserted" integer NOT NULL,
        "updated" integer NOT NULL,
        "unchanged" integer NOT NULL,
        "errors" jsonb NOT NULL,
        "created_by" uuid,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "metric_imports_pkey" PRIMARY KEY ("agency_id", "id"),
        CONSTRAINT "metric_imports_client_fkey" FOREIGN KEY ("agency_id", "client_id")
          REFERENCES "clients" ("agency_id", "id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(
      `CREATE INDEX "metric_imports_agency_id_client_id_created_at_idx" ON "metric_imports" ("agency_id", "client_id", "created_at", "id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "metric_values" (
        "agency_id" uuid NOT NULL,
        "client_id" uuid NOT NULL,
        "metric_key" text NOT NULL,
        "date" date NOT NULL,
        "source" text NOT NULL,
        "granularity" text NOT NULL,
        "value" numeric(20,4) NOT NULL,
        "import_batch_id" uuid NOT NULL,
        "entered_by" uuid,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "metric_values_pkey" PRIMARY KEY ("agency_id", "client_id", "metric_key", "date", "source"),
        CONSTRAINT "metric_values_client_fkey" FOREIGN KEY ("agency_id", "client_id")
          REFERENCES "clients" ("agency_id", "id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);

    for (const table of ['metric_imports', 'metric_values']) await secureTenantTable(queryRunner, table);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "metric_values"`);
    await queryRunner.query(`DROP TABLE "metric_imports"`);
  }
}
