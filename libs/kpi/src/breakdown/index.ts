export * from './kpi-breakdown';
