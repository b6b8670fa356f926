import { Module } from '@nestjs/common';
import { ColumnMappingsResolver } from './column-mappings.resolver';
import { ColumnMappingsService } from './column-mappings.service';

@Module({ providers: [ColumnMappingsResolver, ColumnMappingsService] })
export class ColumnMappingsModule {}
