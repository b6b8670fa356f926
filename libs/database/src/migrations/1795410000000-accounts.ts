import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { secureTenantTable } from './1795332700000-tenant-security';

const TABLES = ['user_sessions', 'refresh_tokens', 'account_tokens'];

/**
 * Account lifecycle: proof of e-mail ownership, sessions with rotating refresh tokens, and the
 * single-use tokens e-mailed for verification and password reset.
 *
 * - `users.email_verified_at`: null until the owner of the address followed the e-mailed link;
 *   an unverified user can neither log in nor be found by e-mail. Users who could already log
 *   in keep working (their address is taken as verified).
 * - `user_sessions`: one per login; revoked (or deleted with its user) to cut access at once.
 * - `refresh_tokens`: every refresh token a session was ever given, by SHA-256. A token used
 *   twice (`used_at` set) is a stolen copy racing its owner: the whole session is revoked.
 * - `account_tokens`: one row per e-mailed token (`id` is the signed token's `jti`), marked used
 *   on first use; `email` is the address it proves (the new address for a change of e-mail).
 */
export class Accounts1795410000000 implements MigrationInterface {
  name = 'Accounts1795410000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN email_verified_at timestamp with time zone`);
    await queryRunner.query(`UPDATE users SET email_verified_at = created_at WHERE password_hash IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE user_sessions (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        user_agent text,
        ip_address text,
        created_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        last_used_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        expires_at timestamp(3) with time zone NOT NULL,
        revoked_at timestamp(3) with time zone,
        CONSTRAINT user_sessions_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT user_sessions_user_fkey FOREIGN KEY (agency_id, user_id) REFERENCES users (agency_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX user_sessions_agency_id_user_id_idx ON user_sessions (agency_id, user_id)`);
    await queryRunner.query(`
      CREATE TABLE refresh_tokens (
        agency_id uuid NOT NULL,
        token_hash text NOT NULL,
        session_id uuid NOT NULL,
        created_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        used_at timestamp(3) with time zone,
        CONSTRAINT refresh_tokens_pkey PRIMARY KEY (agency_id, token_hash),
        CONSTRAINT refresh_tokens_session_fkey FOREIGN KEY (agency_id, session_id) REFERENCES user_sessions (agency_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX refresh_tokens_agency_id_session_id_idx ON refresh_tokens (agency_id, session_id)`);
    await queryRunner.query(`
      CREATE TABLE account_tokens (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        purpose text NOT NULL,
        email text NOT NULL,
        expires_at timestamp(3) with time zone NOT NULL,
        used_at timestamp(3) with time zone,
        created_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        CONSTRAINT account_tokens_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT account_tokens_user_fkey FOREIGN KEY (agency_id, user_id) REFERENCES users (agency_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX account_tokens_agency_id_user_id_idx ON account_tokens (agency_id, user_id)`);
    for (const table of TABLES) await secureTenantTable(queryRunner, table);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await queryRunner.query(`DROP TABLE ${table}`);
    await queryRunner.query(`ALTER TABLE users DROP COLUMN email_verified_at`);
  }
}
