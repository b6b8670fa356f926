export * from './stale-sources';
