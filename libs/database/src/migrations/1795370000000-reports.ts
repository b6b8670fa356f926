import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { secureTenantTable } from './1795332700000-tenant-security';

/** The tables of this migration, parents first (the order `down` reverses). */
const TABLES = ['reports', 'report_deliveries'];

/**
 * Reports (one row per client × kind × period × version) and the log of their e-mail
 * deliveries. `batch_id` has no foreign key here: `report_batches` comes with the job queue's
 * migration, which adds `(agency_id, batch_id) → report_batches`.
 *
 * `snapshot` freezes everything a render reads, so a version re-renders identically. The list
 * index serves `reports(clientId)` newest first with a keyset cursor on (created_at, id).
 */
export class Reports1795370000000 implements MigrationInterface {
  name = 'Reports1795370000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reports (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        client_id uuid NOT NULL,
        kind text NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        version integer NOT NULL,
        status text NOT NULL,
        batch_id uuid,
        snapshot jsonb,
        storage_key text,
        checksum text,
        byte_size integer,
        page_count integer,
        attempts integer NOT NULL DEFAULT 0,
        error text,
        commentary text,
        kpi_commentary jsonb NOT NULL DEFAULT '{}',
        narrative jsonb,
        requested_by uuid,
        approved_by uuid,
        approved_at timestamp(3) with time zone,
        rendered_at timestamp(3) with time zone,
        sent_at timestamp(3) with time zone,
        created_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        updated_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        CONSTRAINT reports_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT reports_client_fkey FOREIGN KEY (agency_id, client_id) REFERENCES clients (agency_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX reports_agency_id_client_id_kind_period_start_version_key ON reports (agency_id, client_id, kind, period_start, version)`,
    );
    await queryRunner.query(`CREATE INDEX reports_agency_id_client_id_created_at_idx ON reports (agency_id, client_id, created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE report_deliveries (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        report_id uuid NOT NULL,
        recipients text array NOT NULL,
        message_id text,
        status text NOT NULL,
        error text,
        created_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        CONSTRAINT report_deliveries_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT report_deliveries_report_fkey FOREIGN KEY (agency_id, report_id) REFERENCES reports (agency_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX report_deliveries_agency_id_report_id_created_at_idx ON report_deliveries (agency_id, report_id, created_at)`);

    for (const table of TABLES) await secureTenantTable(queryRunner, table);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
