export * from './bundled-fonts';
export * from './report-view-model';
export * from './report-template.engine';
export * from './channel-view';
