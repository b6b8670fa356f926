export * from './alert-evaluator';
export * from './alert-digest';
export * from './alert-digest.template';
export * from './alert-job-handlers';
export * from './alerts.service';
export * from './alerts.module';
