import { Module } from '@nestjs/common';
import { MetricAggregatesRepository } from '@pilotage/database';
import { AnalyticsService } from './analytics.service';
import { ChannelFiguresReader } from './channel-figures';

/** KPI values, scorecards, funnels and channel figures of a client, as domain values (the API maps them to GraphQL). */
@Module({
  providers: [AnalyticsService, ChannelFiguresReader, MetricAggregatesRepository],
  exports: [AnalyticsService, ChannelFiguresReader],
})
export class AnalyticsModule {}
