export * from './narrative.drafter';
export * from './report-story';
