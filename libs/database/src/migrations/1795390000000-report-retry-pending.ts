import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `reports.retry_pending`: a FAILED report whose render the job queue will try again. The
 * worker sets it from the job's own retry count when an attempt fails, so the batch progress
 * tells "failed, retry to come" from "failed for good" from our table instead of reading
 * pg-boss's private job table.
 */
export class ReportRetryPending1795390000000 implements MigrationInterface {
  name = 'ReportRetryPending1795390000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE reports ADD COLUMN retry_pending boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE reports DROP COLUMN retry_pending`);
  }
}
