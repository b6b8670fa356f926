import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Row-level security for every tenant-owned table, the non-owner role tenant work runs as,
 * and the login directory.
 *
 * Policies compare `agency_id` with `current_setting('app.agency_id', true)`: when the setting
 * is missing (NULL) or empty, `nullif(...)::uuid` is NULL, the comparison is NULL and no row
 * passes — the policy fails closed. FORCE makes the policies apply to the table owner too;
 * only superusers and BYPASSRLS roles escape them, hence `SET LOCAL ROLE pilotage_tenant`.
 */
export const TENANT_POLICY_EXPRESSION = `agency_id = nullif(current_setting('app.agency_id', true), '')::uuid`;

/**
 * What every tenant-owned table gets: the tenant role may read and write it, row-level security
 * is enabled and forced (the owner too), and the policy admits only the current agency's rows.
 */
export async function secureTenantTable(queryRunner: QueryRunner, table: string): Promise<void> {
  await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO pilotage_tenant`);
  await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await queryRunner.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
  await queryRunner.query(`CREATE POLICY tenant_isolation ON ${table} USING (${TENANT_POLICY_EXPRESSION}) WITH CHECK (${TENANT_POLICY_EXPRESSION})`);
}

export class TenantSecurity1795332700000 implements MigrationInterface {
  name = 'TenantSecurity1795332700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pilotage_tenant') THEN
          CREATE ROLE pilotage_tenant NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        END IF;
      END
      $$`);
    // The connecting user must be a member of the role to SET ROLE to it.
    await queryRunner.query(`
      DO $$
      BEGIN
        IF NOT pg_has_role(current_user, 'pilotage_tenant', 'MEMBER') THEN
          EXECUTE format('GRANT pilotage_tenant TO %I', current_user);
        END IF;
      END
      $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO pilotage_tenant`);

    // Agencies: the tenant row itself, keyed by id.
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON agencies TO pilotage_tenant`);
    await queryRunner.query(`ALTER TABLE agencies ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE agencies FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY tenant_isolation ON agencies
        USING (id = nullif(current_setting('app.agency_id', true), '')::uuid)
        WITH CHECK (id = nullif(current_setting('app.agency_id', true), '')::uuid)`);

    for (const table of ['clients', 'users']) {
      await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO pilotage_tenant`);
      await this.isolate(queryRunner, table);
    }
    // The audit log is append-only for the application.
    await queryRunner.query(`GRANT SELECT, INSERT ON audit_log TO pilotage_tenant`);
    await this.isolate(queryRunner, 'audit_log');

    // Login directory: e-mail -> (agency, user), readable before any tenant is known (login,
    // invitation acceptance) but writable only for one's own agency. It holds no secret: the
    // password hash stays in `users`, read inside the candidate agency's tenant transaction.
    await queryRunner.query(`
      CREATE TABLE login_directory (
        agency_id uuid NOT NULL,
        user_id uuid NOT NULL,
        email text NOT NULL,
        agency_slug text NOT NULL,
        invitation_token_hash text,
        CONSTRAINT login_directory_pkey PRIMARY KEY (agency_id, user_id),
        CONSTRAINT login_directory_user_fkey FOREIGN KEY (agency_id, user_id)
          REFERENCES users (agency_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX login_directory_email_idx ON login_directory (email)`);
    await queryRunner.query(`CREATE INDEX login_directory_invitation_idx ON login_directory (invitation_token_hash) WHERE invitation_token_hash IS NOT NULL`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON login_directory TO pilotage_tenant`);
    await queryRunner.query(`ALTER TABLE login_directory ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE login_directory FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`CREATE POLICY login_lookup ON login_directory FOR SELECT USING (true)`);
    for (const command of ['INSERT', 'UPDATE', 'DELETE']) {
      const clause =
        command === 'INSERT'
          ? `WITH CHECK (agency_id = nullif(current_setting('app.agency_id', true), '')::uuid)`
          : command === 'UPDATE'
            ? `USING (agency_id = nullif(current_setting('app.agency_id', true), '')::uuid) WITH CHECK (agency_id = nullif(current_setting('app.agency_id', true), '')::uuid)`
            : `USING (agency_id = nullif(current_setting('app.agency_id', true), '')::uuid)`;
      await queryRunner.query(`CREATE POLICY tenant_write_${command.toLowerCase()} ON login_directory FOR ${command} ${clause}`);
    }
    // Kept in sync by a trigger running as the invoker (the tenant role), so the write policies apply.
    await queryRunner.query(`
      CREATE FUNCTION sync_login_directory() RETURNS trigger LANGUAGE plpgsql SECURITY INVOKER AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO login_directory (agency_id, user_id, email, agency_slug, invitation_token_hash)
          SELECT NEW.agency_id, NEW.id, NEW.email, a.slug, NEW.invitation_token_hash
            FROM agencies a WHERE a.id = NEW.agency_id;
        ELSE
          UPDATE login_directory
             SET email = NEW.email, invitation_token_hash = NEW.invitation_token_hash
           WHERE agency_id = NEW.agency_id AND user_id = NEW.id;
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER users_sync_login_directory AFTER INSERT OR UPDATE OF email, invitation_token_hash ON users
        FOR EACH ROW EXECUTE FUNCTION sync_login_directory()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER users_sync_login_directory ON users`);
    await queryRunner.query(`DROP FUNCTION sync_login_directory()`);
    await queryRunner.query(`DROP TABLE login_directory`);
    for (const table of ['agencies', 'clients', 'users', 'audit_log']) {
      await queryRunner.query(`DROP POLICY tenant_isolation ON ${table}`);
      await queryRunner.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`REVOKE ALL ON ${table} FROM pilotage_tenant`);
    }
  }

  private async isolate(queryRunner: QueryRunner, table: string): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`CREATE POLICY tenant_isolation ON ${table} USING (${TENANT_POLICY_EXPRESSION}) WITH CHECK (${TENANT_POLICY_EXPRESSION})`);
  }
}
