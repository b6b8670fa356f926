import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** pg-boss's schema (installed by migration 1795380000000). */
const JOB_SCHEMA = 'pgboss';

/**
 * Least privilege for the two runtime roles.
 *
 * 1. The login directory (every agency's e-mail addresses) is no longer readable by the tenant
 *    role: only its owner reads it, through SECURITY DEFINER functions that answer one question
 *    each with the rows asked for (one e-mail's entries, one invitation, one slug's agency, the
 *    agency ids the scheduler visits). The sync trigger writes it as its owner too; it still
 *    writes only the current agency's rows (the write policies read `app.agency_id`, which the
 *    caller's transaction sets, and FORCE applies them to the owner).
 * 2. The tenant role keeps on pg-boss's job table only what `send()` needs: INSERT, and SELECT of
 *    `id` for `RETURNING id`. Other agencies' report ids, states and keys are out of its reach.
 * 3. `pilotage_queue`, the group role of the worker's pg-boss login: USAGE on schema `pgboss` and
 *    the DML pg-boss's handlers, cron and supervision run, nothing in `public`. The worker's
 *    pg-boss no longer migrates or creates its schema (the owner does, here).
 *
 * The roles are created by whoever provisions the database (docker/postgres/init-roles.sql,
 * `ensureDatabaseRoles`); an owner with CREATEROLE may create `pilotage_queue` here itself.
 */
export class LeastPrivilege1795420000000 implements MigrationInterface {
  name = 'LeastPrivilege1795420000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // 1. Login directory.
    await queryRunner.query(`REVOKE ALL ON login_directory FROM pilotage_tenant`);
    await queryRunner.query(`ALTER FUNCTION sync_login_directory() SECURITY DEFINER`);
    await queryRunner.query(`ALTER FUNCTION sync_login_directory() SET search_path = public, pg_temp`);
    const lookups: readonly string[] = [
      `CREATE FUNCTION login_directory_by_email(p_email text, p_agency_slug text)
         RETURNS TABLE (agency_id uuid, user_id uuid, agency_slug text)
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
           SELECT d.agency_id, d.user_id, d.agency_slug FROM login_directory d
            WHERE d.email = p_email AND (p_agency_slug IS NULL OR d.agency_slug = p_agency_slug)
            ORDER BY d.agency_id, d.user_id
         $$`,
      `CREATE FUNCTION login_directory_by_invitation(p_token_hash text)
         RETURNS TABLE (agency_id uuid, user_id uuid, agency_slug text)
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
           SELECT d.agency_id, d.user_id, d.agency_slug FROM login_directory d
            WHERE d.invitation_token_hash = p_token_hash
            LIMIT 1
         $$`,
      `CREATE FUNCTION login_directory_agency_by_slug(p_agency_slug text)
         RETURNS uuid
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
           SELECT d.agency_id FROM login_directory d WHERE d.agency_slug = p_agency_slug LIMIT 1
         $$`,
      `CREATE FUNCTION login_directory_agency_ids()
         RETURNS SETOF uuid
         LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
           SELECT DISTINCT d.agency_id FROM login_directory d ORDER BY d.agency_id
         $$`,
    ];
    for (const sql of lookups) await queryRunner.query(sql);
    for (const signature of LOOKUP_SIGNATURES) {
      // Functions are executable by PUBLIC by default: only the tenant role may call these.
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${signature} FROM PUBLIC`);
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${signature} TO pilotage_tenant`);
    }

    // 2. The tenant role on pg-boss's job table: insert, and read back the new job's id.
    await queryRunner.query(`REVOKE SELECT ON ${JOB_SCHEMA}.job_common FROM pilotage_tenant`);
    await queryRunner.query(`REVOKE SELECT (id, name, singleton_key, state, policy) ON ${JOB_SCHEMA}.job_common FROM pilotage_tenant`);
    await queryRunner.query(`GRANT SELECT (id) ON ${JOB_SCHEMA}.job_common TO pilotage_tenant`);

    // 3. The worker's queue role.
    await queryRunner.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pilotage_queue') THEN
          CREATE ROLE pilotage_queue NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        END IF;
      END
      $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA ${JOB_SCHEMA} TO pilotage_queue`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${JOB_SCHEMA} TO pilotage_queue`);
    await queryRunner.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${JOB_SCHEMA} TO pilotage_queue`);
    // Tables pg-boss adds later (a partitioned queue, an upgrade run by the migrate step) follow.
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${JOB_SCHEMA} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO pilotage_queue`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${JOB_SCHEMA} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO pilotage_queue`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${JOB_SCHEMA} REVOKE ALL ON SEQUENCES FROM pilotage_queue`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${JOB_SCHEMA} REVOKE ALL ON TABLES FROM pilotage_queue`);
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${JOB_SCHEMA} FROM pilotage_queue`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${JOB_SCHEMA} FROM pilotage_queue`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA ${JOB_SCHEMA} FROM pilotage_queue`);
    await queryRunner.query(`GRANT SELECT (id, name, singleton_key, state, policy) ON ${JOB_SCHEMA}.job_common TO pilotage_tenant`);
    for (const signature of LOOKUP_SIGNATURES) await queryRunner.query(`DROP FUNCTION ${signature}`);
    await queryRunner.query(`ALTER FUNCTION sync_login_directory() RESET search_path`);
    await queryRunner.query(`ALTER FUNCTION sync_login_directory() SECURITY INVOKER`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON login_directory TO pilotage_tenant`);
  }
}

const LOOKUP_SIGNATURES = [
  'login_directory_by_email(text, text)',
  'login_directory_by_invitation(text)',
  'login_directory_agency_by_slug(text)',
  'login_directory_agency_ids()',
] as const;
