import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { secureTenantTable } from './1795332700000-tenant-security';

/** The tables of this migration, parents first (the order `down` reverses). */
const TABLES = ['custom_metrics', 'custom_kpis', 'kickoffs', 'kickoff_kpis', 'kickoff_targets', 'kpi_plans', 'plan_kpis', 'monthly_targets'];

/**
 * The KPI domain's tenant data: the agency's custom metrics and KPIs, the kickoff drafts, and the
 * versioned KPI plans with their monthly targets. Every key, index and foreign key leads with
 * `agency_id`; every table gets the same forced row-level security as the first tables.
 */
export class KickoffAndPlans1795340000000 implements MigrationInterface {
  name = 'KickoffAndPlans1795340000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE custom_metrics (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        key text NOT NULL,
        name text NOT NULL,
        description text NOT NULL,
        unit text NOT NULL,
        aggregation text NOT NULL,
        created_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        updated_at timestamp with time zone NOT NULL DEFAULT now(),
        CONSTRAINT custom_metrics_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT custom_metrics_agency_id_fkey FOREIGN KEY (agency_id) REFERENCES agencies (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX custom_metrics_agency_id_key_key ON custom_metrics (agency_id, key)`);

    await queryRunner.query(`
      CREATE TABLE custom_kpis (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        key text NOT NULL,
        name text NOT NULL,
        description text NOT NULL,
        stage text NOT NULL,
        category text NOT NULL,
        unit text NOT NULL,
        direction text NOT NULL,
        aggregation text NOT NULL,
        formula text NOT NULL,
        business_models text array NOT NULL DEFAULT '{}',
        created_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        updated_at timestamp with time zone NOT NULL DEFAULT now(),
        CONSTRAINT custom_kpis_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT custom_kpis_agency_id_fkey FOREIGN KEY (agency_id) REFERENCES agencies (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX custom_kpis_agency_id_key_key ON custom_kpis (agency_id, key)`);

    await queryRunner.query(`
      CREATE TABLE kickoffs (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        client_id uuid NOT NULL,
        status text NOT NULL,
        business_model text NOT NULL,
        traits text array NOT NULL DEFAULT '{}',
        channels text array NOT NULL DEFAULT '{}',
        core_target text NOT NULL,
        objective_keys text array NOT NULL DEFAULT '{}',
        plan_year integer,
        plan_id uuid,
        created_by uuid,
        created_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        updated_at timestamp with time zone NOT NULL DEFAULT now(),
        CONSTRAINT kickoffs_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT kickoffs_agency_id_fkey FOREIGN KEY (agency_id) REFERENCES agencies (id) ON DELETE CASCADE,
        CONSTRAINT kickoffs_client_fkey FOREIGN KEY (agency_id, client_id) REFERENCES clients (agency_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX kickoffs_agency_id_client_id_idx ON kickoffs (agency_id, client_id, created_at)`);

    await queryRunner.query(`
      CREATE TABLE kickoff_kpis (
        agency_id uuid NOT NULL,
        kickoff_id uuid NOT NULL,
        kpi_key text NOT NULL,
        objective_key text NOT NULL,
        position integer NOT NULL,
        CONSTRAINT kickoff_kpis_pkey PRIMARY KEY (agency_id, kickoff_id, kpi_key),
        CONSTRAINT kickoff_kpis_kickoff_fkey FOREIGN KEY (agency_id, kickoff_id) REFERENCES kickoffs (agency_id, id) ON DELETE CASCADE
      )`);

    await queryRunner.query(`
      CREATE TABLE kickoff_targets (
        agency_id uuid NOT NULL,
        kickoff_id uuid NOT NULL,
        kpi_key text NOT NULL,
        month date NOT NULL,
        value numeric NOT NULL,
        CONSTRAINT kickoff_targets_pkey PRIMARY KEY (agency_id, kickoff_id, kpi_key, month),
        CONSTRAINT kickoff_targets_kickoff_kpi_fkey FOREIGN KEY (agency_id, kickoff_id, kpi_key)
          REFERENCES kickoff_kpis (agency_id, kickoff_id, kpi_key) ON DELETE CASCADE
      )`);

    await queryRunner.query(`
      CREATE TABLE kpi_plans (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        client_id uuid NOT NULL,
        version integer NOT NULL,
        kickoff_id uuid NOT NULL,
        status text NOT NULL,
        year integer NOT NULL,
        approved_at timestamp(3) with time zone NOT NULL,
        approved_by uuid,
        CONSTRAINT kpi_plans_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT kpi_plans_agency_id_fkey FOREIGN KEY (agency_id) REFERENCES agencies (id) ON DELETE CASCADE,
        CONSTRAINT kpi_plans_client_fkey FOREIGN KEY (agency_id, client_id) REFERENCES clients (agency_id, id) ON DELETE CASCADE,
        CONSTRAINT kpi_plans_kickoff_fkey FOREIGN KEY (agency_id, kickoff_id) REFERENCES kickoffs (agency_id, id)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX kpi_plans_agency_id_client_id_version_key ON kpi_plans (agency_id, client_id, version)`);
    // One ACTIVE plan per client: approving a new plan must supersede the old one first.
    await queryRunner.query(`CREATE UNIQUE INDEX kpi_plans_agency_id_client_id_active_key ON kpi_plans (agency_id, client_id) WHERE status = 'ACTIVE'`);

    await queryRunner.query(`
      CREATE TABLE plan_kpis (
        agency_id uuid NOT NULL,
        plan_id uuid NOT NULL,
        kpi_key text NOT NULL,
        objective_key text NOT NULL,
        stage text NOT NULL,
        position integer NOT NULL,
        CONSTRAINT plan_kpis_pkey PRIMARY KEY (agency_id, plan_id, kpi_key),
        CONSTRAINT plan_kpis_plan_fkey FOREIGN KEY (agency_id, plan_id) REFERENCES kpi_plans (agency_id, id) ON DELETE CASCADE
      )`);

    await queryRunner.query(`
      CREATE TABLE monthly_targets (
        agency_id uuid NOT NULL,
        plan_id uuid NOT NULL,
        kpi_key text NOT NULL,
        month date NOT NULL,
        value numeric NOT NULL,
        CONSTRAINT monthly_targets_pkey PRIMARY KEY (agency_id, plan_id, kpi_key, month),
        CONSTRAINT monthly_targets_plan_kpi_fkey FOREIGN KEY (agency_id, plan_id, kpi_key)
          REFERENCES plan_kpis (agency_id, plan_id, kpi_key) ON DELETE CASCADE
      )`);

    for (const table of TABLES) await secureTenantTable(queryRunner, table);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
