export * from './domain-event';
export * from './event-job-queue';
export * from './domain-events.service';
export * from './events.module';
