import 'reflect-metadata';
import { createDataSource } from '@pilotage/database';
import { testDatabase } from '../support/test-database';

describe('migrations', () => {
  it('produce exactly the schema the entities describe (no pending change)', async () => {
    const dataSource = createDataSource({ url: testDatabase().ownerUrl, poolSize: 1 });
    await dataSource.initialize();
    try {
      expect(await dataSource.showMigrations()).toBe(false);
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
