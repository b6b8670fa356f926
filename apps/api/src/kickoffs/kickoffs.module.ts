import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { ClientsModule } from '../clients/clients.module';
import { KickoffsResolver } from './kickoffs.resolver';
import { KickoffsService } from './kickoffs.service';

@Module({ imports: [ClientsModule, AnalyticsModule], providers: [KickoffsResolver, KickoffsService] })
export class KickoffsModule {}
