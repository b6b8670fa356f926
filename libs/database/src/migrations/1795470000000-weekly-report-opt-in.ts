import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `clients.weekly_report_enabled`: whether the hourly schedule generates the client's WEEKLY
 * report (per channel) every Monday. Off by default and for every existing client: a weekly
 * PDF is a new deliverable an agency chooses to offer, not something its clients should start
 * receiving because the platform was upgraded.
 */
export class WeeklyReportOptIn1795470000000 implements MigrationInterface {
  name = 'WeeklyReportOptIn1795470000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clients" ADD "weekly_report_enabled" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clients" DROP COLUMN "weekly_report_enabled"`);
  }
}
