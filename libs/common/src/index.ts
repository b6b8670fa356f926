export * from './app-error';
export * from './strip-accents';
