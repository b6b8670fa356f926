export * from './chart-palette';
export * from './report-charts';
export * from './funnel-chart-svg';
export * from './trend-chart-alt-text';
