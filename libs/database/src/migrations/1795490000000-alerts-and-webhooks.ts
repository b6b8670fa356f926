import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { secureTenantTable } from './1795332700000-tenant-security';

const JOB_SCHEMA = 'pgboss';

/**
 * Alerts from the plan, outbound webhooks, restatements and the readiness gate (#15).
 *
 * - `alerts`: one per rule × KPI × period (`dedup_key`, unique per client): the same cause never
 *   opens two. OPEN → ACKNOWLEDGED → RESOLVED, who acknowledged or resolved, the numbers that
 *   triggered it (`details`) and its message in the client's language.
 * - `alert_settings`: per client (`kpi_key` '') and per KPI: muted, sensitivity.
 * - `webhook_endpoints` / `webhook_deliveries`: an agency's outbound endpoints (JSON signed with
 *   HMAC, or Slack's incoming-webhook format), their signing secret encrypted like connection
 *   tokens, and every delivery with its attempts.
 * - `report_restatements`: a KPI figure of a READY, APPROVED or SENT report that new values changed
 *   beyond the threshold, with the import or sync that did it.
 * - `clients`: who the client's project manager is (their daily digest; no foreign key: a user
 *   removed from the agency simply gets no digest, and the owners get the client's alerts), whether
 *   reports wait for a PM's review or are sent automatically, whether the client's viewers see its alerts.
 * - `reports.readiness_warning`: why a scheduled report was generated before its data was complete.
 */
export class AlertsAndWebhooks1795490000000 implements MigrationInterface {
  name = 'AlertsAndWebhooks1795490000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE clients
        ADD project_manager_id uuid,
        ADD report_delivery_mode text NOT NULL DEFAULT 'REVIEW' CONSTRAINT clients_report_delivery_mode_check CHECK ("report_delivery_mode" IN ('REVIEW', 'AUTOMATIC')),
        ADD viewer_alerts_visible boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE reports ADD readiness_warning text`);

    await queryRunner.query(`
      CREATE TABLE alerts (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        client_id uuid NOT NULL,
        rule text NOT NULL CONSTRAINT alerts_rule_check CHECK ("rule" IN ('STATUS', 'NO_DATA', 'ANOMALY')),
        kpi_key text NOT NULL,
        period_key text NOT NULL,
        dedup_key text NOT NULL,
        status text NOT NULL CONSTRAINT alerts_status_check CHECK ("status" IN ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')),
        severity text NOT NULL CONSTRAINT alerts_severity_check CHECK ("severity" IN ('WARNING', 'CRITICAL')),
        message text NOT NULL,
        details jsonb NOT NULL,
        opened_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        acknowledged_at timestamp(3) with time zone,
        acknowledged_by uuid,
        resolved_at timestamp(3) with time zone,
        resolved_by uuid,
        last_evaluated_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        CONSTRAINT alerts_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT alerts_client_fkey FOREIGN KEY (agency_id, client_id) REFERENCES clients (agency_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX alerts_dedup_key ON alerts (agency_id, client_id, dedup_key)`);
    await queryRunner.query(`CREATE INDEX alerts_agency_id_opened_at_idx ON alerts (agency_id, opened_at, id)`);
    await queryRunner.query(`CREATE INDEX alerts_agency_id_client_id_status_idx ON alerts (agency_id, client_id, status)`);
    await secureTenantTable(queryRunner, 'alerts');

    await queryRunner.query(`
      CREATE TABLE alert_settings (
        agency_id uuid NOT NULL,
        client_id uuid NOT NULL,
        kpi_key text NOT NULL,
        muted boolean NOT NULL DEFAULT false,
        sensitivity text NOT NULL DEFAULT 'NORMAL' CONSTRAINT alert_settings_sensitivity_check CHECK ("sensitivity" IN ('LOW', 'NORMAL', 'HIGH')),
        updated_by uuid,
        updated_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        CONSTRAINT alert_settings_pkey PRIMARY KEY (agency_id, client_id, kpi_key),
        CONSTRAINT alert_settings_client_fkey FOREIGN KEY (agency_id, client_id) REFERENCES clients (agency_id, id) ON DELETE CASCADE
      )`);
    await secureTenantTable(queryRunner, 'alert_settings');

    await queryRunner.query(`
      CREATE TABLE webhook_endpoints (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        url text NOT NULL,
        format text NOT NULL CONSTRAINT webhook_endpoints_format_check CHECK ("format" IN ('JSON', 'SLACK')),
        events text[] NOT NULL,
        description text,
        secret_ciphertext bytea NOT NULL,
        secret_key_id text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        created_by uuid,
        created_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        updated_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        CONSTRAINT webhook_endpoints_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT webhook_endpoints_agency_id_fkey FOREIGN KEY (agency_id) REFERENCES agencies (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX webhook_endpoints_agency_id_created_at_idx ON webhook_endpoints (agency_id, created_at, id)`);
    await secureTenantTable(queryRunner, 'webhook_endpoints');

    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        endpoint_id uuid NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL CONSTRAINT webhook_deliveries_status_check CHECK ("status" IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        attempts integer NOT NULL DEFAULT 0,
        last_status_code integer,
        last_error text,
        created_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        last_attempt_at timestamp(3) with time zone,
        delivered_at timestamp(3) with time zone,
        CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT webhook_deliveries_endpoint_fkey FOREIGN KEY (agency_id, endpoint_id) REFERENCES webhook_endpoints (agency_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_agency_id_endpoint_id_created_at_idx ON webhook_deliveries (agency_id, endpoint_id, created_at, id)`,
    );
    await secureTenantTable(queryRunner, 'webhook_deliveries');

    await queryRunner.query(`
      CREATE TABLE report_restatements (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        report_id uuid NOT NULL,
        client_id uuid NOT NULL,
        kpi_key text NOT NULL,
        old_value numeric,
        new_value numeric,
        old_status text,
        new_status text,
        import_id uuid,
        detected_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        CONSTRAINT report_restatements_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT report_restatements_report_fkey FOREIGN KEY (agency_id, report_id) REFERENCES reports (agency_id, id) ON DELETE CASCADE,
        CONSTRAINT report_restatements_import_fkey FOREIGN KEY (agency_id, import_id) REFERENCES metric_imports (agency_id, id)
      )`);
    await queryRunner.query(
      `CREATE INDEX report_restatements_agency_id_report_id_detected_at_idx ON report_restatements (agency_id, report_id, detected_at, id)`,
    );
    await secureTenantTable(queryRunner, 'report_restatements');

    // metrics.changed (alerts) and restatements.check (reports): debounced per client after each
    // import or sync commit; alerts.daily and alerts.digest: crons; webhooks.deliver: one job a delivery.
    await queryRunner.query(`SELECT ${JOB_SCHEMA}.create_queue('metrics.changed', '{"policy":"standard"}'::jsonb)`);
    await queryRunner.query(`SELECT ${JOB_SCHEMA}.create_queue('restatements.check', '{"policy":"standard"}'::jsonb)`);
    await queryRunner.query(`SELECT ${JOB_SCHEMA}.create_queue('alerts.daily', '{"policy":"exclusive"}'::jsonb)`);
    await queryRunner.query(`SELECT ${JOB_SCHEMA}.create_queue('alerts.digest', '{"policy":"exclusive"}'::jsonb)`);
    await queryRunner.query(`SELECT ${JOB_SCHEMA}.create_queue('webhooks.deliver', '{"policy":"standard"}'::jsonb)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const queue of ['webhooks.deliver', 'alerts.digest', 'alerts.daily', 'restatements.check', 'metrics.changed']) {
      await queryRunner.query(`SELECT ${JOB_SCHEMA}.delete_queue('${queue}')`);
    }
    await queryRunner.query(`DROP TABLE report_restatements`);
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
    await queryRunner.query(`DROP TABLE webhook_endpoints`);
    await queryRunner.query(`DROP TABLE alert_settings`);
    await queryRunner.query(`DROP TABLE alerts`);
    await queryRunner.query(`ALTER TABLE reports DROP COLUMN readiness_warning`);
    await queryRunner.query(`ALTER TABLE clients DROP COLUMN viewer_alerts_visible, DROP COLUMN report_delivery_mode, DROP COLUMN project_manager_id`);
  }
}
