import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `clients.formatting_locale`: how a client's reports write numbers, money and dates
 * ('fr-FR', 'en-GB', 'en-US'), apart from their language. Nullable, without a backfill: null
 * reads as the language's default (fr → fr-FR, en → en-GB), which is what every existing client
 * was rendered with, and keeps following the language if it changes.
 */
export class ClientFormattingLocale1795430000000 implements MigrationInterface {
  name = 'ClientFormattingLocale1795430000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clients" ADD "formatting_locale" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "clients" DROP COLUMN "formatting_locale"`);
  }
}
