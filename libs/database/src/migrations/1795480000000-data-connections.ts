import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { secureTenantTable } from './1795332700000-tenant-security';

const JOB_SCHEMA = 'pgboss';

/**
 * Live data sources (#14): a client's connection to a platform account, its OAuth
 * authorizations in flight and the record of every sync.
 *
 * - `data_connections`: one platform account of one client (a GA4 property, a Google Ads
 *   customer, a Meta ad account, a Search Console site). Its tokens are one AES-256-GCM
 *   ciphertext (`token_ciphertext`: IV, tag and ciphertext; `token_key_id` names the key, for
 *   rotation); the clear tokens never reach the database. `source` is the `metric_values.source`
 *   its values are written under: unique among the client's live connections, so two
 *   connections never replace each other's figures.
 * - `data_connection_authorizations`: an OAuth authorization code flow in progress. Only the
 *   SHA-256 of its `state` is kept; the PKCE verifier is encrypted like the tokens. Single use
 *   (`used_at`), short-lived (`expires_at`).
 * - `sync_runs`: each backfill or daily sync of a connection: window, progress, rows, outcome.
 * - `metric_imports.connection_id`: the import rows a sync writes (kind SYNC) name their connection.
 * - The job queues of the sync engine, created here like the report ones (the API sends a
 *   connection's backfill before any worker ran).
 */
export class DataConnections1795480000000 implements MigrationInterface {
  name = 'DataConnections1795480000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE data_connections (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        client_id uuid NOT NULL,
        provider text NOT NULL CONSTRAINT data_connections_provider_check CHECK ("provider" IN ('GA4', 'GOOGLE_ADS', 'META_ADS', 'SEARCH_CONSOLE')),
        account_id text NOT NULL,
        account_name text,
        source text NOT NULL,
        status text NOT NULL CONSTRAINT data_connections_status_check
          CHECK ("status" IN ('PENDING', 'ACTIVE', 'NEEDS_REAUTHORIZATION', 'FAILING', 'REVOKED')),
        last_error text,
        token_ciphertext bytea,
        token_key_id text,
        token_expires_at timestamp(3) with time zone,
        scopes text[] NOT NULL DEFAULT '{}',
        backfill_from date,
        data_through date,
        last_synced_at timestamp(3) with time zone,
        created_by uuid,
        created_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        updated_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        revoked_at timestamp(3) with time zone,
        CONSTRAINT data_connections_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT data_connections_client_fkey FOREIGN KEY (agency_id, client_id) REFERENCES clients (agency_id, id) ON DELETE CASCADE,
        CONSTRAINT data_connections_token_check CHECK (("token_ciphertext" IS NULL) = ("token_key_id" IS NULL))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX data_connections_live_source_key ON data_connections (agency_id, client_id, source) WHERE revoked_at IS NULL`);
    await queryRunner.query(`CREATE INDEX data_connections_agency_id_client_id_created_at_idx ON data_connections (agency_id, client_id, created_at, id)`);
    await secureTenantTable(queryRunner, 'data_connections');

    await queryRunner.query(`
      CREATE TABLE data_connection_authorizations (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        connection_id uuid NOT NULL,
        state_hash text NOT NULL,
        verifier_ciphertext bytea NOT NULL,
        verifier_key_id text NOT NULL,
        created_by uuid,
        created_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        expires_at timestamp(3) with time zone NOT NULL,
        used_at timestamp(3) with time zone,
        CONSTRAINT data_connection_authorizations_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT data_connection_authorizations_connection_fkey FOREIGN KEY (agency_id, connection_id)
          REFERENCES data_connections (agency_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX data_connection_authorizations_state_hash_key ON data_connection_authorizations (agency_id, state_hash)`);
    await secureTenantTable(queryRunner, 'data_connection_authorizations');

    await queryRunner.query(`
      CREATE TABLE sync_runs (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        connection_id uuid NOT NULL,
        client_id uuid NOT NULL,
        kind text NOT NULL CONSTRAINT sync_runs_kind_check CHECK ("kind" IN ('BACKFILL', 'DAILY', 'MANUAL')),
        status text NOT NULL CONSTRAINT sync_runs_status_check CHECK ("status" IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
        window_start date NOT NULL,
        window_end date NOT NULL,
        chunks_total integer NOT NULL,
        chunks_done integer NOT NULL DEFAULT 0,
        rows integer NOT NULL DEFAULT 0,
        inserted integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        unchanged integer NOT NULL DEFAULT 0,
        deleted integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        error text,
        queued_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        started_at timestamp(3) with time zone,
        finished_at timestamp(3) with time zone,
        CONSTRAINT sync_runs_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT sync_runs_connection_fkey FOREIGN KEY (agency_id, connection_id) REFERENCES data_connections (agency_id, id) ON DELETE CASCADE,
        CONSTRAINT sync_runs_window_check CHECK ("window_start" <= "window_end")
      )`);
    await queryRunner.query(`CREATE INDEX sync_runs_agency_id_connection_id_queued_at_idx ON sync_runs (agency_id, connection_id, queued_at, id)`);
    await secureTenantTable(queryRunner, 'sync_runs');

    await queryRunner.query(`ALTER TABLE metric_imports ADD COLUMN connection_id uuid`);
    await queryRunner.query(
      `ALTER TABLE metric_imports ADD CONSTRAINT metric_imports_connection_fkey FOREIGN KEY (agency_id, connection_id) REFERENCES data_connections (agency_id, id)`,
    );

    // `exclusive`: one queued-or-running job per singleton key (a connection's sync, the hourly tick).
    await queryRunner.query(`SELECT ${JOB_SCHEMA}.create_queue('connection.sync', '{"policy":"exclusive"}'::jsonb)`);
    await queryRunner.query(`SELECT ${JOB_SCHEMA}.create_queue('connection.schedule', '{"policy":"exclusive"}'::jsonb)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT ${JOB_SCHEMA}.delete_queue('connection.schedule')`);
    await queryRunner.query(`SELECT ${JOB_SCHEMA}.delete_queue('connection.sync')`);
    await queryRunner.query(`ALTER TABLE metric_imports DROP CONSTRAINT metric_imports_connection_fkey`);
    await queryRunner.query(`ALTER TABLE metric_imports DROP COLUMN connection_id`);
    await queryRunner.query(`DROP TABLE sync_runs`);
    await queryRunner.query(`DROP TABLE data_connection_authorizations`);
    await queryRunner.query(`DROP TABLE data_connections`);
  }
}
