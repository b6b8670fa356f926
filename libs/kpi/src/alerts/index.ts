export * from './alert-sensitivity';
export * from './detect-anomaly';
export * from './detect-no-data';
export * from './status-alert';
export * from './alert-dedup-key';
export * from './alert-message';
