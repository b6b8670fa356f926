import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { KickoffsResolver } from './kickoffs.resolver';
import { KickoffsService } from './kickoffs.service';

@Module({ imports: [ClientsModule], providers: [KickoffsResolver, KickoffsService] })
export class KickoffsModule {}
