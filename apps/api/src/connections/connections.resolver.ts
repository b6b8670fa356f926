import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ConnectionsService, syncRunProgress } from '@pilotage/connectors';
import { mapKeysetPage, type DataConnectionEntity, type SyncRunEntity } from '@pilotage/database';
import { NotFoundError } from '@pilotage/common';
import { AgencyStaff } from '../auth/auth.guard';
import { Client } from '../clients/client.model';
import { toClientModel } from '../clients/clients.service';
import type { GraphqlContext } from '../common/graphql-context';
import { PageArgs } from '../common/pagination';
import { DataConnection, DataConnectionAuthorization, DataConnectionConnection, SyncRun, SyncRunConnection } from './data-connection.model';
import { DataConnectionsArgs, StartDataConnectionInput } from './dto/data-connection.inputs';

/**
 * Data connections of clients to their platform accounts (owners and managers only; client
 * viewers and API keys are FORBIDDEN). Another agency's connection is NOT_FOUND. No field ever
 * carries a token or its ciphertext.
 */
@Resolver(() => DataConnection)
export class ConnectionsResolver {
  constructor(private readonly connections: ConnectionsService) {}

  @AgencyStaff()
  @Query(() => DataConnectionConnection, {
    description: 'A client’s data connections, revoked ones included, newest first (owners and managers; FORBIDDEN to client viewers and API keys).',
  })
  async dataConnections(@Args() args: DataConnectionsArgs): Promise<DataConnectionConnection> {
    return mapKeysetPage(await this.connections.listConnections(args.clientId, args), (entity) => this.toModel(entity));
  }

  @AgencyStaff()
  @Query(() => DataConnection, { description: 'One data connection (owners and managers); NOT_FOUND when it is not one of the agency’s.' })
  async dataConnection(@Args('id', { type: () => ID, description: 'Connection id.' }) id: string): Promise<DataConnection> {
    return this.toModel(await this.connections.getConnection(id));
  }

  @AgencyStaff()
  @Mutation(() => DataConnectionAuthorization, {
    description:
      'Starts a connection of a client to a platform account: PENDING until the account owner consents through `authorizationUrl`. ' +
      'BAD_USER_INPUT on `accountId` when it is malformed for the platform or already connected to the client, on `provider` when the ' +
      'server lacks that platform’s OAuth client (the message names the variables); CONFLICT past 20 connections per client or on an archived client.',
  })
  async startDataConnection(@Args('input') input: StartDataConnectionInput): Promise<DataConnectionAuthorization> {
    const started = await this.connections.startConnection(input);
    return { connection: this.toModel(started.connection), authorizationUrl: started.authorizationUrl };
  }

  @AgencyStaff()
  @Mutation(() => DataConnectionAuthorization, {
    description:
      'A new connect link for a connection that is not revoked (NEEDS_REAUTHORIZATION after the platform refused its tokens, or a link that expired). ' +
      'Earlier links of the connection stop working. After consent the days missed are pulled again.',
  })
  async reauthorizeDataConnection(@Args('id', { type: () => ID, description: 'Connection id.' }) id: string): Promise<DataConnectionAuthorization> {
    const reauthorized = await this.connections.reauthorizeConnection(id);
    return { connection: this.toModel(reauthorized.connection), authorizationUrl: reauthorized.authorizationUrl };
  }

  @AgencyStaff()
  @Mutation(() => DataConnection, {
    description:
      'Disconnects the account: its tokens are deleted and the access is revoked at the platform; the connection becomes REVOKED and is no ' +
      'longer synced. The values it already pulled STAY in the client’s figures and reports. Revoking it again changes nothing.',
  })
  async revokeDataConnection(@Args('id', { type: () => ID, description: 'Connection id.' }) id: string): Promise<DataConnection> {
    return this.toModel(await this.connections.revokeConnection(id));
  }

  @AgencyStaff()
  @Mutation(() => SyncRun, {
    description:
      'Queues a MANUAL sync of an ACTIVE or FAILING connection over its provider’s lookback window. BAD_USER_INPUT when a run of the ' +
      'connection is already queued or running. Counts as a heavy operation (HEAVY_OPERATIONS_PER_MINUTE).',
  })
  async syncDataConnection(@Args('id', { type: () => ID, description: 'Connection id.' }) id: string): Promise<SyncRun> {
    return toSyncRunModel(await this.connections.syncConnection(id));
  }

  @ResolveField(() => Client, { description: 'The client the account feeds (batched per request).' })
  async client(@Parent() connection: DataConnection, @Context() context: GraphqlContext): Promise<Client> {
    const client = await context.loaders.get('dataConnectionClientById', (ids) => this.connections.clientsByIds(ids)).load(connection.clientId);
    if (client === null) throw new NotFoundError('Client', connection.clientId);
    return toClientModel(client);
  }

  @ResolveField(() => SyncRunConnection, { description: 'The connection’s sync runs, newest first, with their progress.' })
  async runs(@Parent() connection: DataConnection, @Args() args: PageArgs): Promise<SyncRunConnection> {
    return mapKeysetPage(await this.connections.listRuns(connection.id, args), toSyncRunModel);
  }

  private toModel(entity: DataConnectionEntity): DataConnection {
    return {
      id: entity.id,
      clientId: entity.clientId,
      provider: entity.provider,
      accountId: entity.accountId,
      accountName: entity.accountName,
      source: entity.source,
      status: entity.status,
      lastError: entity.lastError,
      dataThrough: entity.dataThrough,
      lastSyncedAt: entity.lastSyncedAt,
      dataNote: this.connections.dataNoteOf(entity.provider),
      createdAt: entity.createdAt,
      revokedAt: entity.revokedAt,
    };
  }
}

function toSyncRunModel(entity: SyncRunEntity): SyncRun {
  return {
    id: entity.id,
    kind: entity.kind,
    status: entity.status,
    windowStart: entity.windowStart,
    windowEnd: entity.windowEnd,
    chunksTotal: entity.chunksTotal,
    chunksDone: entity.chunksDone,
    progress: syncRunProgress(entity),
    rows: entity.rows,
    inserted: entity.inserted,
    updated: entity.updated,
    unchanged: entity.unchanged,
    deleted: entity.deleted,
    attempts: entity.attempts,
    error: entity.error,
    queuedAt: entity.queuedAt,
    startedAt: entity.startedAt,
    finishedAt: entity.finishedAt,
    durationMs: entity.startedAt !== null && entity.finishedAt !== null ? entity.finishedAt.getTime() - entity.startedAt.getTime() : null,
  };
}
