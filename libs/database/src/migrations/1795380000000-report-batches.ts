import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { getConstructionPlans } from 'pg-boss';
import { secureTenantTable } from './1795332700000-tenant-security';

/** The schema pg-boss keeps its queues and jobs in (never `public`: it is not tenant data). */
const JOB_SCHEMA = 'pgboss';

/**
 * Report batches, the foreign key `reports.batch_id → report_batches`, and the job queue's
 * schema.
 *
 * pg-boss's schema is installed here, by the owner, from pg-boss's own construction plan
 * (the SQL `start()` would run), so that it exists before any process starts and the grants
 * below can follow it. Afterwards the worker, which connects to pg-boss as the owner
 * (DATABASE_OWNER_URL), migrates it on pg-boss upgrades and runs its maintenance.
 *
 * The API never connects as the owner: it only inserts jobs, inside the tenant transaction
 * that created the report (so a report and its job commit together). The tenant role gets
 * just enough for that: read the queue definitions and the schema version, insert into the
 * shared job table, and read back the id, name, key, state and policy of jobs (the batch
 * progress tells "failed, retry pending" from "failed for good"). No job payload and no
 * update or delete: job payloads carry ids only, but one agency's code path has no reason to
 * see them.
 */
export class ReportBatches1795380000000 implements MigrationInterface {
  name = 'ReportBatches1795380000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE report_batches (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        kind text NOT NULL,
        period_start date NOT NULL,
        total integer NOT NULL,
        created_by uuid,
        created_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        CONSTRAINT report_batches_pkey PRIMARY KEY (agency_id, id)
      )`);
    await queryRunner.query(
      `CREATE INDEX report_batches_agency_id_kind_period_start_created_at_idx ON report_batches (agency_id, kind, period_start, created_at)`,
    );
    await secureTenantTable(queryRunner, 'report_batches');
    await queryRunner.query(`
      ALTER TABLE reports ADD CONSTRAINT reports_batch_fkey FOREIGN KEY (agency_id, batch_id)
        REFERENCES report_batches (agency_id, id) ON DELETE NO ACTION ON UPDATE NO ACTION`);

    await queryRunner.query(installPlan());
    // The queues exist before any process starts, so the API can send before a worker ever ran.
    // `exclusive`: at most one job per singleton key (the report id) queued, retrying or running.
    await queryRunner.query(`SELECT ${JOB_SCHEMA}.create_queue('report.render', '{"policy":"exclusive"}'::jsonb)`);
    await queryRunner.query(`SELECT ${JOB_SCHEMA}.create_queue('report.schedule', '{"policy":"exclusive"}'::jsonb)`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA ${JOB_SCHEMA} TO pilotage_tenant`);
    await queryRunner.query(`GRANT SELECT ON ${JOB_SCHEMA}.version, ${JOB_SCHEMA}.queue TO pilotage_tenant`);
    await queryRunner.query(`GRANT INSERT ON ${JOB_SCHEMA}.job_common TO pilotage_tenant`);
    await queryRunner.query(`GRANT SELECT (id, name, singleton_key, state, policy) ON ${JOB_SCHEMA}.job_common TO pilotage_tenant`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SCHEMA ${JOB_SCHEMA} CASCADE`);
    await queryRunner.query(`ALTER TABLE reports DROP CONSTRAINT reports_batch_fkey`);
    await queryRunner.query(`DROP TABLE report_batches`);
  }
}

/**
 * pg-boss's construction plan without its own BEGIN/COMMIT: the migration already runs in a
 * transaction, and a COMMIT in the middle would end it early.
 */
function installPlan(): string {
  const plan = getConstructionPlans(JOB_SCHEMA);
  const wrapped = /^\s*BEGIN;([\s\S]*)COMMIT;\s*$/.exec(plan);
  if (!wrapped) throw new Error('Unexpected pg-boss construction plan: expected one BEGIN; … COMMIT; block');
  return wrapped[1];
}
