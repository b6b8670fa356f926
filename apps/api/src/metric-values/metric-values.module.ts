import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { MetricImportsController } from './metric-imports.controller';
import { MetricValuesResolver } from './metric-values.resolver';
import { MetricValuesService } from './metric-values.service';

@Module({
  imports: [ClientsModule],
  controllers: [MetricImportsController],
  providers: [MetricValuesResolver, MetricValuesService],
  exports: [MetricValuesService],
})
export class MetricValuesModule {}
