import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { secureTenantTable } from './1795332700000-tenant-security';

/**
 * Saved column mappings (issue #13): per client, how to read an export file no preset
 * recognises. Tenant-owned like every table: `agency_id` leads the key, the unique name and
 * the client foreign key; row-level security enabled and forced, DML granted to the tenant role
 * only (secureTenantTable). The definition is one jsonb document: it is read and written whole,
 * never queried by its parts.
 */
export class ColumnMappings1795460000000 implements MigrationInterface {
  name = 'ColumnMappings1795460000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE client_column_mappings (
        agency_id uuid NOT NULL,
        id uuid NOT NULL,
        client_id uuid NOT NULL,
        name text NOT NULL,
        definition jsonb NOT NULL,
        created_by uuid,
        created_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        updated_at timestamp(3) with time zone NOT NULL DEFAULT now(),
        CONSTRAINT client_column_mappings_pkey PRIMARY KEY (agency_id, id),
        CONSTRAINT client_column_mappings_client_fkey FOREIGN KEY (agency_id, client_id) REFERENCES clients (agency_id, id) ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX client_column_mappings_agency_id_client_id_name_key ON client_column_mappings (agency_id, client_id, name)`);
    await secureTenantTable(queryRunner, 'client_column_mappings');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE client_column_mappings`);
  }
}
