export * from './kpi-value.formatter';
