import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource, type DatabaseConnectionOptions } from './data-source';
import { TenantDatabase, type TenantDatabaseOptions } from './tenancy/tenant-database';

@Injectable()
class DataSourceLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Provides the DataSource and the {@link TenantDatabase} to both apps. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseConnectionOptions & TenantDatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          useFactory: async (): Promise<DataSource> => {
            const dataSource = createDataSource(options);
            await dataSource.initialize();
            return dataSource;
          },
        },
        {
          provide: TenantDatabase,
          useFactory: (dataSource: DataSource) => new TenantDatabase(dataSource, { statementTimeoutMs: options.statementTimeoutMs }),
          inject: [DataSource],
        },
        DataSourceLifecycle,
      ],
      exports: [DataSource, TenantDatabase],
    };
  }
}
