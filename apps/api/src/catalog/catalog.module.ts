import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { CatalogResolver } from './catalog.resolver';
import { CatalogService } from './catalog.service';

@Module({ imports: [ClientsModule], providers: [CatalogResolver, CatalogService], exports: [CatalogService] })
export class CatalogModule {}
