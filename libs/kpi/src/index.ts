export * from './domain';
export * from './formula';
export * from './periods';
export * from './computation';
export * from './targets';
export * from './catalog';
export * from './objectives';
export * from './recommendations';
