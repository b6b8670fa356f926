import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseConnectionOptions {
  readonly url: string;
  readonly poolSize?: number;
  readonly applicationName?: string;
}

/**
 * The application's DataSource. `synchronize` is off everywhere (tests included): the schema
 * comes from the reviewed migration files only.
 */
export function dataSourceOptions(options: DatabaseConnectionOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'all',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: options.applicationName ?? 'pilotage',
    extra: {
      max: options.poolSize ?? 10,
      // A connection stuck in a transaction must not hold locks forever.
      idle_in_transaction_session_timeout: 60_000,
    },
  };
}

export function createDataSource(options: DatabaseConnectionOptions): DataSource {
  return new DataSource(dataSourceOptions(options));
}
