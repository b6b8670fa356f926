import { randomUUID } from 'node:crypto';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { DatabaseModule } from '@pilotage/database';
import { AgenciesModule } from './agencies/agencies.module';
import { AlertsApiModule } from './alerts/alerts.module';
import { AnalyticsApiModule } from './analytics/analytics.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { TenantContextMiddleware } from './auth/tenant-context.middleware';
import { CatalogModule } from './catalog/catalog.module';
import { ClientsModule } from './clients/clients.module';
import { ColumnMappingsModule } from './column-mappings/column-mappings.module';
import { ConnectionsModule } from './connections/connections.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { OAUTH_CALLBACK_PATH } from './connections/oauth-callback.controller';
import { CustomDefinitionsModule } from './custom-definitions/custom-definitions.module';
import { KickoffsModule } from './kickoffs/kickoffs.module';
import { formatGraphqlError } from './common/format-graphql-error';
import { GraphqlExceptionFilter } from './common/graphql-exception.filter';
import { RequestLoaders } from './common/request-loaders';
import { boundedStringify, cacheControlDisabledPlugin, depthLimitRule, QueryShapeMiddleware, queryLimitsPlugin } from './common/query-limits';
import { HEALTH_DATABASE_URL, HealthController } from './health/health.controller';
import { unlessFragmentSpreadsLoop } from './common/fragment-cycles';
import { hideSchemaSuggestionsPlugin } from './common/schema-suggestions.plugin';
import { MetricValuesModule } from './metric-values/metric-values.module';
import { ReportJobsModule } from './report-jobs/report-jobs.module';
import { ReportsModule } from './reports/reports.module';
import type { GraphqlContext } from './common/graphql-context';
import type { AuthenticatedRequest } from './auth/tenant-context.middleware';
import type { GraphQLSchema } from 'graphql';
import { EventsModule } from '@pilotage/events';

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    const errorLogger = pino({ level: config.logLevel });
    let schemaHost: GraphQLSchemaHost | null = null;
    const schemaOf = (): GraphQLSchema => {
      if (!schemaHost) throw new Error('GraphQL schema not built yet');
      return schemaHost.schema;
    };
    return {
      module: AppModule,
      imports: [
        { module: ConfigHolderModule, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: (req, res) => {
              const header = req.headers['x-request-id'];
              const id = typeof header === 'string' && /^[\w-]{1,100}$/.test(header) ? header : randomUUID();
              res.setHeader('x-request-id', id);
              return id;
            },
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            // The OAuth callback's query holds an authorization code and its state: logged without it.
            serializers: { req: (req: { url?: string; query?: unknown }) => withoutCallbackQuery(req) },
          },
        }),
        DatabaseModule.forRoot({
          url: databaseUrl,
          poolSize: config.databasePoolSize,
          applicationName: 'pilotage-api',
          statementTimeoutMs: config.limits.apiStatementTimeoutMs,
        }),
        EventsModule.forRoot(),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [GraphQLSchemaHost],
          useFactory: (host: GraphQLSchemaHost) => {
            schemaHost = host;
            return {
              autoSchemaFile: true,
              sortSchema: true,
              path: '/graphql',
              // Set explicitly, whatever the library defaults are.
              introspection: !config.isProduction,
              includeStacktraceInErrorResponses: false,
              csrfPrevention: true,
              allowBatchedHttpRequests: false,
              validationRules: [unlessFragmentSpreadsLoop(depthLimitRule)],
              plugins: [
                queryLimitsPlugin(schemaOf, {
                  concurrency: config.limits.heavyOperationsConcurrency,
                  processConcurrency: config.limits.heavyOperationsProcessConcurrency,
                  processWaitMs: config.limits.heavyOperationsProcessWaitMs,
                  perMinute: config.limits.heavyOperationsPerMinute,
                }),
                ...(config.isProduction ? [hideSchemaSuggestionsPlugin()] : []),
                cacheControlDisabledPlugin(),
              ],
              stringifyResult: boundedStringify(config.limits.responseMaxBytes),
              formatError: formatGraphqlError(errorLogger),
              context: ({ req }: { req: AuthenticatedRequest }): GraphqlContext => ({ req, loaders: new RequestLoaders() }),
            };
          },
        }),
        AuthModule,
        AgenciesModule,
        ClientsModule,
        MetricValuesModule,
        CatalogModule,
        CustomDefinitionsModule,
        ColumnMappingsModule,
        KickoffsModule,
        AnalyticsApiModule,
        ReportsModule,
        ReportJobsModule,
        ApiKeysModule,
        ConnectionsModule,
        AlertsApiModule,
        WebhooksModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: GraphqlExceptionFilter },
        { provide: HEALTH_DATABASE_URL, useValue: databaseUrl },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // The shape first: a hostile document is refused before its token is verified and its session read.
    consumer.apply(QueryShapeMiddleware).forRoutes('graphql');
    consumer.apply(TenantContextMiddleware).forRoutes('*');
  }
}

@Module({})
class ConfigHolderModule {}

/** The serialized request of a log line, without the OAuth callback's query (its `url` and the parsed `query` both carry the code and state). */
function withoutCallbackQuery<R extends { url?: string; query?: unknown }>(req: R): R {
  if (typeof req.url === 'string' && (req.url === OAUTH_CALLBACK_PATH || req.url.startsWith(`${OAUTH_CALLBACK_PATH}?`))) {
    req.url = OAUTH_CALLBACK_PATH;
    if (req.query !== undefined) req.query = {};
  }
  return req;
}
