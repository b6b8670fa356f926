export * from './chart-palette';
export * from './report-charts';
export * from './trend-chart-alt-text';
