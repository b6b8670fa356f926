export * from './report-snapshot';
export * from './demo-snapshot';
export * from './seeded-random';
