export * from './analytics.module';
export * from './analytics.service';
export * from './analytics.types';
export * from './agency-catalog';
export * from './channel-figures';
