export * from './chart-palette';
export * from './report-charts';
