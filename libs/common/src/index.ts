export * from './app-error';
export * from './strip-accents';
export * from './control-characters';
