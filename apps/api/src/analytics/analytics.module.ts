import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { AnalyticsResolver } from './analytics.resolver';
import { AnalyticsService } from './analytics.service';
import { MetricAggregatesRepository } from './metric-aggregates.repository';

@Module({
  imports: [ClientsModule],
  providers: [AnalyticsResolver, AnalyticsService, MetricAggregatesRepository],
  exports: [AnalyticsService],
})
export class AnalyticsModule {}
