import { Module } from '@nestjs/common';
import { WebhooksResolver } from './webhooks.resolver';

/** Outbound webhooks in the API (the service comes from the global EventsModule). */
@Module({ providers: [WebhooksResolver] })
export class WebhooksModule {}
