import { Module } from '@nestjs/common';
import { CustomDefinitionsResolver } from './custom-definitions.resolver';
import { CustomDefinitionsService } from './custom-definitions.service';

@Module({ providers: [CustomDefinitionsResolver, CustomDefinitionsService] })
export class CustomDefinitionsModule {}
