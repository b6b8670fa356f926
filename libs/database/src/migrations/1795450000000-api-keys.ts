import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { secureTenantTable } from './1795332700000-tenant-security';

/**
 * Agency API keys, for machines (an ETL, n8n, a script).
 *
 * - `api_keys`: tenant-owned like every other table (RLS enabled and forced, `agency_id` leading
 *   the keys). The secret is never stored: `secret_hash` is its SHA-256. `public_id` is the short
 *   random part printed in the key (`plk_<public_id>_<secret>`) so a leaked key can be found by
 *   grep and in the list; it is unique across agencies because a request names no agency: the
 *   key is looked up by it before any tenant is known.
 * - That lookup is `api_key_by_public_id(text)`, SECURITY DEFINER like the login directory's
 *   (migration 1795420000000): it answers for one public id, never lists the table. Running as
 *   the owner, it still meets the forced tenant policy (no `app.agency_id` yet), hence the
 *   owner-only read policy `api_key_lookup`; the tenant role keeps the tenant policy alone.
 * - `audit_log.api_key_id` and `metric_imports.api_key_id`: the key a change was made with
 *   (null for a person or the system). Keys are revoked, never deleted, so the entries keep theirs.
 */
export class ApiKeys1795450000000 implements MigrationInterface {
  name = 'ApiKeys1795450000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE api_keys (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        public_id text NOT NULL,
        name text NOT NULL,
        secret_hash text NOT NULL,
        scopes text[] NOT NULL,
        client_ids uuid[],
        created_by uuid,
        created_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        expires_at timestamp(3) with time zone,
        last_used_at timestamp(3) with time zone,
        revoked_at timestamp(3) with time zone,
        CONSTRAINT api_keys_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT api_keys_agency_id_fkey FOREIGN KEY (agency_id) REFERENCES agencies (id) ON DELETE CASCADE
      )`);
    // Looked up by public id alone (the agency is not known yet): the one index not led by agency_id.
    await queryRunner.query(`CREATE UNIQUE INDEX api_keys_public_id_key ON api_keys (public_id)`);
    await queryRunner.query(`CREATE INDEX api_keys_agency_id_created_at_idx ON api_keys (agency_id, created_at, id)`);
    await secureTenantTable(queryRunner, 'api_keys');
    await queryRunner.query(`CREATE POLICY api_key_lookup ON api_keys FOR SELECT TO CURRENT_USER USING (true)`);
    await queryRunner.query(`
      CREATE FUNCTION api_key_by_public_id(p_public_id text)
        RETURNS TABLE (agency_id uuid, id uuid, secret_hash text, scopes text[], client_ids uuid[], expires_at timestamptz, revoked_at timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT k.agency_id, k.id, k.secret_hash, k.scopes, k.client_ids, k.expires_at, k.revoked_at
            FROM api_keys k WHERE k.public_id = p_public_id
        $$`);
    // Functions are executable by PUBLIC by default: only the tenant role may call this one.
    await queryRunner.query(`REVOKE ALL ON FUNCTION api_key_by_public_id(text) FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION api_key_by_public_id(text) TO pilotage_tenant`);

    for (const table of ['audit_log', 'metric_imports']) {
      await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN api_key_id uuid`);
      await queryRunner.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${table}_api_key_fkey FOREIGN KEY (agency_id, api_key_id) REFERENCES api_keys (agency_id, id)`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['metric_imports', 'audit_log']) {
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_api_key_fkey`);
      await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN api_key_id`);
    }
    await queryRunner.query(`DROP FUNCTION api_key_by_public_id(text)`);
    await queryRunner.query(`DROP TABLE api_keys`);
  }
}
