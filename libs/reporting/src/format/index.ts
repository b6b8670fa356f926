export * from './kpi-value.formatter';
export * from './typography';
