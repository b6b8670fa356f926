import { Module } from '@nestjs/common';
import { AgenciesResolver } from './agencies.resolver';

@Module({ providers: [AgenciesResolver] })
export class AgenciesModule {}
