import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { DatabaseModule } from '@pilotage/database';

@Module({})
class WorkerConfigModule {}

/** The worker: report rendering and scheduled jobs, as a Nest application context (no HTTP). */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        { module: WorkerConfigModule, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
        LoggerModule.forRoot({ pinoHttp: { level: config.logLevel } }),
        DatabaseModule.forRoot({ url: databaseUrl, poolSize: config.databasePoolSize, applicationName: 'pilotage-worker' }),
      ],
    };
  }
}
