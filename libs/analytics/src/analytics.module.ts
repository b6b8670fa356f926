import { Module } from '@nestjs/common';
import { MetricAggregatesRepository } from '@pilotage/database';
import { AnalyticsService } from './analytics.service';

/** KPI values, scorecards and funnels of a client, as domain values (the API maps them to GraphQL). */
@Module({
  providers: [AnalyticsService, MetricAggregatesRepository],
  exports: [AnalyticsService],
})
export class AnalyticsModule {}
