export * from './analytics.module';
export * from './analytics.service';
export * from './analytics.types';
export * from './agency-catalog';
export * from './breakdown-groups';
export * from './channel-figures';
