import { Module } from '@nestjs/common';
import { ConnectorsModule } from '@pilotage/connectors';
import { ConnectionsResolver } from './connections.resolver';
import { OAuthCallbackController } from './oauth-callback.controller';

/** Data connections in the API: started, listed, reauthorized, revoked and synced through GraphQL; completed by the OAuth callback. */
@Module({
  imports: [ConnectorsModule.forApi()],
  controllers: [OAuthCallbackController],
  providers: [ConnectionsResolver],
})
export class ConnectionsModule {}
