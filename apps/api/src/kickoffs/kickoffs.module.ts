import { Module } from '@nestjs/common';
import { AnalyticsModule } from '@pilotage/analytics';
import { ClientsModule } from '../clients/clients.module';
import { ClientPlanResolver } from './client-plan.resolver';
import { KickoffsResolver } from './kickoffs.resolver';
import { KickoffsService } from './kickoffs.service';

@Module({ imports: [ClientsModule, AnalyticsModule], providers: [KickoffsResolver, KickoffsService, ClientPlanResolver] })
export class KickoffsModule {}
