export * from './app-error';
export * from './strip-accents';
export * from './control-characters';
export { settle, unwrap, type Settled } from './settled';
export * from './token-cipher';
