export * from './snapshot';
export * from './format';
export * from './narrative';
export * from './charts';
export * from './view';
export * from './renderer';
export * from './storage';
export * from './delivery';
