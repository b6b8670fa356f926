import { Module } from '@nestjs/common';
import { AlertsModule } from '@pilotage/alerts';
import { AlertsResolver } from './alerts.resolver';

/** Alerts in the API: listed, acknowledged, resolved and their settings changed through GraphQL. */
@Module({
  imports: [AlertsModule.forApi()],
  providers: [AlertsResolver],
})
export class AlertsApiModule {}
