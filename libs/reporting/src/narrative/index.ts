export * from './narrative.drafter';
