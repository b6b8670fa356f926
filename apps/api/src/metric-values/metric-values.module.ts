import { Module } from '@nestjs/common';
import { MetricImportService, SourceChannelService } from '@pilotage/ingestion';
import { MetricImportsController } from './metric-imports.controller';
import { MetricValuesResolver } from './metric-values.resolver';
import { MetricValuesService } from './metric-values.service';
import { SourceChannelsResolver } from './source-channels.resolver';

@Module({
  controllers: [MetricImportsController],
  providers: [MetricValuesResolver, MetricValuesService, MetricImportService, SourceChannelsResolver, SourceChannelService],
  exports: [MetricValuesService, MetricImportService],
})
export class MetricValuesModule {}
