import { Module } from '@nestjs/common';
import { MetricImportService } from '@pilotage/ingestion';
import { MetricImportsController } from './metric-imports.controller';
import { MetricValuesResolver } from './metric-values.resolver';
import { MetricValuesService } from './metric-values.service';

@Module({
  controllers: [MetricImportsController],
  providers: [MetricValuesResolver, MetricValuesService, MetricImportService],
  exports: [MetricValuesService, MetricImportService],
})
export class MetricValuesModule {}
