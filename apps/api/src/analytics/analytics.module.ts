import { Module } from '@nestjs/common';
import { AnalyticsModule } from '@pilotage/analytics';
import { AnalyticsResolver } from './analytics.resolver';
import { KpiSeriesResolver } from './kpi-series.resolver';

/** The analytics queries of the GraphQL API over @pilotage/analytics. */
@Module({
  imports: [AnalyticsModule],
  providers: [AnalyticsResolver, KpiSeriesResolver],
})
export class AnalyticsApiModule {}
