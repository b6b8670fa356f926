import { type DynamicModule, Module } from '@nestjs/common';
import { AnalyticsModule } from '@pilotage/analytics';
import { AlertDigest } from './alert-digest';
import { AlertEvaluator } from './alert-evaluator';
import { ALERT_JOB_HANDLER_OPTIONS, AlertJobHandlers, AlertJobQueue } from './alert-job-handlers';
import { AlertsService } from './alerts.service';

/**
 * Plan-driven alerts. The API lists them and acts on them (AlertsService); the worker evaluates
 * clients after their values change and daily, and sends the digest e-mails.
 */
@Module({})
export class AlertsModule {
  static forApi(): DynamicModule {
    return { module: AlertsModule, imports: [AnalyticsModule], providers: [AlertEvaluator, AlertsService], exports: [AlertEvaluator, AlertsService] };
  }

  /** The worker's part: the `metrics.changed` handler and the daily crons, on the queue role's pool. */
  static forWorker(options: { readonly queueUrl: string; readonly schedule?: boolean; readonly pollingIntervalSeconds?: number }): DynamicModule {
    return {
      module: AlertsModule,
      imports: [AnalyticsModule],
      providers: [
        {
          provide: AlertJobQueue,
          useFactory: () => new AlertJobQueue({ kind: 'worker', queueUrl: options.queueUrl, poolSize: 3, applicationName: 'pilotage-worker-alerts' }),
        },
        { provide: ALERT_JOB_HANDLER_OPTIONS, useValue: { schedule: options.schedule ?? true, pollingIntervalSeconds: options.pollingIntervalSeconds } },
        AlertEvaluator,
        AlertDigest,
        AlertJobHandlers,
      ],
      exports: [AlertEvaluator, AlertDigest, AlertJobHandlers],
    };
  }
}
