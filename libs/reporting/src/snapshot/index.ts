export * from './report-snapshot';
export * from './demo-snapshot';
