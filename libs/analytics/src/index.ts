export * from './analytics.module';
export * from './analytics.service';
export * from './analytics.types';
export * from './agency-catalog';
export * from './kpi-evaluator';
export * from './period-buckets';
export * from './weekly-targets';
