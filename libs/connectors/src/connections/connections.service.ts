import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '@pilotage/common';
import {
  closeOpenAuthorizations,
  ClientEntity,
  countLiveConnections,
  currentTenant,
  DataConnectionAuthorizationEntity,
  DataConnectionEntity,
  type DataConnectionStatus,
  type DataProvider,
  dataConnectionsOfClientQuery,
  findAuthorizationByStateHash,
  findDataConnection,
  findLiveConnectionBySource,
  findWritableClient,
  findVisibleClient,
  hasSucceededBackfill,
  isUuid,
  keysetPage,
  type KeysetPage,
  type KeysetPageRequest,
  lockForTransaction,
  markAuthorizationUsed,
  recordAudit,
  runWithTenant,
  SyncRunEntity,
  type SyncRunKind,
  syncRunsOfConnectionQuery,
  systemContext,
  TenantDatabase,
} from '@pilotage/database';
import { addDays, localDate } from '@pilotage/kpi';
import { ConnectionTokenVault } from '../connection-tokens';
import { agencyOfState, createPkcePair, createState, sha256Hex } from '../oauth/pkce';
import { ProviderError } from '../provider-error';
import type { ConnectionTokens, DataProviderConnector, DayRange } from '../provider.types';
import { ProviderRegistry } from '../providers/provider-registry';
import { queueSyncRun, SyncJobQueue } from '../sync/sync-job-queue';
import { syncWindow } from '../sync/sync-window';

/** Live (not revoked) connections one client may have: four platforms, several accounts each, and room to spare. */
export const MAX_LIVE_CONNECTIONS_PER_CLIENT = 20;

/** How long a connect link works: long enough for the account owner to read a mail and click, short enough not to linger. */
export const AUTHORIZATION_TTL_MS = 30 * 60_000;

/** What the platforms need configured before a connection to them can be started, by the variables' names. */
const REQUIRED_SETTINGS: Readonly<Record<DataProvider, readonly string[]>> = {
  GA4: ['GOOGLE_OAUTH_CLIENT_ID', 'GOOGLE_OAUTH_CLIENT_SECRET'],
  GOOGLE_ADS: ['GOOGLE_OAUTH_CLIENT_ID', 'GOOGLE_OAUTH_CLIENT_SECRET', 'GOOGLE_ADS_DEVELOPER_TOKEN'],
  SEARCH_CONSOLE: ['GOOGLE_OAUTH_CLIENT_ID', 'GOOGLE_OAUTH_CLIENT_SECRET'],
  META_ADS: ['META_APP_ID', 'META_APP_SECRET'],
};

/** Statuses a new connect link may be made for (a revoked connection is gone: start a new one). */
const REAUTHORIZABLE: readonly DataConnectionStatus[] = ['PENDING', 'ACTIVE', 'FAILING', 'NEEDS_REAUTHORIZATION'];

/** Statuses a manual sync may run in (the others have no working tokens). */
const SYNCABLE: readonly DataConnectionStatus[] = ['ACTIVE', 'FAILING'];

/**
 * The meaning of the OAuth `error` a platform may send back instead of a code (RFC 6749
 * §4.1.2.1), in words. The raw value is never echoed: it is the platform's, not ours to show.
 */
const OAUTH_ERRORS: Readonly<Record<string, string>> = {
  access_denied: 'The account owner declined access',
  invalid_scope: 'The platform refused the access Pilotage asks for',
  unauthorized_client: 'The platform does not allow this agency’s app to ask for access',
  server_error: 'The platform failed while asking for consent; open the connect link again',
  temporarily_unavailable: 'The platform was unavailable while asking for consent; open the connect link again',
};
const DECLINED = OAUTH_ERRORS.access_denied;

/** A connection just started or reauthorized, and the connect link to send to the account owner. */
export interface ConnectionAuthorization {
  readonly connection: DataConnectionEntity;
  /** The platform's consent page (with our client id, scopes, redirect URL, `state` and PKCE challenge). */
  readonly authorizationUrl: string;
}

/** What the OAuth callback found, for the page it shows. Messages never carry a code, a state or a token. */
export type AuthorizationOutcome =
  | { readonly kind: 'CONNECTED'; readonly platform: string; readonly accountId: string }
  | { readonly kind: 'DECLINED'; readonly platform: string; readonly reason: string }
  | { readonly kind: 'REFUSED'; readonly reason: string };

/** What the platform sent back to the redirect URL (query parameters, unchecked). */
export interface AuthorizationCallback {
  readonly state: string | null;
  readonly code: string | null;
  readonly error: string | null;
}

/** The open part of a callback that passed its checks: what the code exchange needs. */
interface AcceptedCallback {
  readonly connection: DataConnectionEntity;
  readonly provider: DataProviderConnector;
  readonly codeVerifier: string;
  readonly code: string;
}

/** A run's progress, 0..1: its chunks done over its chunks (a finished run is complete). */
export function syncRunProgress(run: Pick<SyncRunEntity, 'status' | 'chunksDone' | 'chunksTotal'>): number {
  if (run.status === 'SUCCEEDED') return 1;
  if (run.chunksTotal <= 0) return 0;
  return Math.min(1, Math.max(0, run.chunksDone / run.chunksTotal));
}

/**
 * A client's connections to its platform accounts: started with an OAuth 2.0 authorization code
 * flow with PKCE (the connect link a project manager sends the account owner), completed by the
 * callback, reauthorized, revoked, synced on demand; listed with their runs. Agency staff only
 * (owners and managers); API keys never (the API's guard refuses them). Tokens are sealed by the
 * {@link ConnectionTokenVault} before they reach a row and never leave this service.
 */
@Injectable()
export class ConnectionsService {
  private readonly logger = new Logger(ConnectionsService.name);

  constructor(
    private readonly db: TenantDatabase,
    private readonly vault: ConnectionTokenVault,
    private readonly providers: ProviderRegistry,
    private readonly queue: SyncJobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates a PENDING connection of the client to `accountId` and its connect link. */
  async startConnection(input: { readonly clientId: string; readonly provider: DataProvider; readonly accountId: string }): Promise<ConnectionAuthorization> {
    const tenant = assertStaff();
    const provider = this.providerFor(input.provider);
    const normalized = provider.normalizeAccountId(input.accountId);
    if ('problem' in normalized) throw BadUserInputError.forField('accountId', normalized.problem);
    const source = provider.sourceOf(normalized.accountId);
    return this.db.run(async (manager) => {
      const client = await findWritableClient(manager, input.clientId);
      // One client's connections in turn, so that two starts at once cannot both pass the checks.
      await lockForTransaction(manager, `data-connections:${tenant.agencyId}:${client.id}`);
      if ((await countLiveConnections(manager, tenant.agencyId, client.id)) >= MAX_LIVE_CONNECTIONS_PER_CLIENT) {
        throw new ConflictError(`A client may have at most ${MAX_LIVE_CONNECTIONS_PER_CLIENT} connections; revoke one it no longer uses first`, {
          reason: 'DATA_CONNECTION_LIMIT',
          maximum: MAX_LIVE_CONNECTIONS_PER_CLIENT,
        });
      }
      const existing = await findLiveConnectionBySource(manager, tenant.agencyId, client.id, source);
      if (existing !== null) {
        throw BadUserInputError.forField(
          'accountId',
          `${provider.platform} account ${normalized.accountId} is already connected to this client (connection ${existing.id}, ${existing.status}); reauthorize it instead`,
        );
      }
      const connection = manager.create(DataConnectionEntity, {
        agencyId: tenant.agencyId,
        id: randomUUID(),
        clientId: client.id,
        provider: provider.provider,
        accountId: normalized.accountId,
        accountName: null,
        source,
        status: 'PENDING',
        lastError: null,
        tokenCiphertext: null,
        tokenKeyId: null,
        tokenExpiresAt: null,
        scopes: [],
        backfillFrom: null,
        dataThrough: null,
        lastSyncedAt: null,
        createdBy: tenant.userId,
        revokedAt: null,
      });
      await manager.insert(DataConnectionEntity, connection);
      const saved = await manager.findOneByOrFail(DataConnectionEntity, { agencyId: tenant.agencyId, id: connection.id });
      await recordAudit(manager, {
        action: 'data_connection.created',
        entityType: 'data_connection',
        entityId: saved.id,
        data: { clientId: client.id, provider: saved.provider, accountId: saved.accountId, source: saved.source },
      });
      const authorizationUrl = await this.authorize(manager, saved, provider);
      return { connection: saved, authorizationUrl };
    });
  }

  /** A new connect link for a connection that is not revoked (its earlier links stop working). */
  async reauthorizeConnection(id: string): Promise<ConnectionAuthorization> {
    const tenant = assertStaff();
    return this.db.run(async (manager) => {
      const connection = await this.findStaffConnection(manager, id, true);
      if (!REAUTHORIZABLE.includes(connection.status)) {
        throw BadUserInputError.forField('id', `connection ${id} is ${connection.status}: start a new connection instead`);
      }
      await findWritableClient(manager, connection.clientId);
      const provider = this.providerFor(connection.provider);
      await closeOpenAuthorizations(manager, tenant.agencyId, connection.id, new Date());
      const authorizationUrl = await this.authorize(manager, connection, provider);
      return { connection, authorizationUrl };
    });
  }

  /**
   * The OAuth callback, without a session: the tenant comes from `state`, whose hash must name
   * an unused, unexpired authorization. It is used up first (committed on its own), so a link
   * works once even when what follows fails. The code is exchanged outside any transaction
   * (no row stays locked while a platform answers), then the tokens are sealed, the connection
   * becomes ACTIVE and its first sync is queued: the backfill, or a catch-up after a reauthorization.
   */
  async completeAuthorization(callback: AuthorizationCallback): Promise<AuthorizationOutcome> {
    const agencyId = callback.state === null ? null : agencyOfState(callback.state);
    if (callback.state === null || agencyId === null) return { kind: 'REFUSED', reason: 'This connect link is not valid: ask for a new one' };
    const state = callback.state;
    return runWithTenant(systemContext(agencyId), async () => {
      const accepted = await this.db.run((manager) => this.acceptCallback(manager, agencyId, state, callback));
      if (!('codeVerifier' in accepted)) return accepted;
      let tokens: ConnectionTokens;
      try {
        tokens = await accepted.provider.oauth.exchangeCode({ code: accepted.code, codeVerifier: accepted.codeVerifier });
      } catch (error) {
        const reason = error instanceof ProviderError ? error.message : `${accepted.provider.platform}: the authorization could not be completed`;
        if (!(error instanceof ProviderError)) this.logger.error(`Code exchange for connection ${accepted.connection.id} failed: ${errorName(error)}`);
        await this.db.run((manager) => this.recordAuthorizationFailure(manager, accepted.connection, reason));
        return { kind: 'REFUSED', reason };
      }
      return this.db.run((manager) => this.activate(manager, accepted.connection.id, accepted.provider, tokens));
    });
  }

  /**
   * Disconnects: the tokens are deleted and the connection REVOKED (its values stay), then the
   * grant is revoked at the platform, best effort (a failure there is logged, without a token).
   */
  async revokeConnection(id: string): Promise<DataConnectionEntity> {
    const tenant = assertStaff();
    const { connection, tokens } = await this.db.run(async (manager) => {
      const found = await this.findStaffConnection(manager, id, true);
      if (found.status === 'REVOKED') return { connection: found, tokens: null };
      const opened = this.vault.openTokens(found);
      const now = new Date();
      const changes = { status: 'REVOKED' as const, revokedAt: now, tokenCiphertext: null, tokenKeyId: null, tokenExpiresAt: null, scopes: [] as string[] };
      await manager.update(DataConnectionEntity, { agencyId: tenant.agencyId, id: found.id }, changes);
      await closeOpenAuthorizations(manager, tenant.agencyId, found.id, now);
      await recordAudit(manager, {
        action: 'data_connection.revoked',
        entityType: 'data_connection',
        entityId: found.id,
        data: { provider: found.provider, accountId: found.accountId },
      });
      return { connection: await manager.findOneByOrFail(DataConnectionEntity, { agencyId: tenant.agencyId, id: found.id }), tokens: opened };
    });
    if (tokens !== null) {
      try {
        await this.providerFor(connection.provider).oauth.revoke(tokens);
      } catch (error) {
        // Our copy is gone either way; the account owner can also remove the app's access themselves.
        this.logger.warn(`Revoking connection ${connection.id} at the platform failed: ${error instanceof ProviderError ? error.message : errorName(error)}`);
      }
    }
    return connection;
  }

  /** Queues a MANUAL run of the provider's lookback window; BAD_USER_INPUT when a run of the connection is already queued or running. */
  async syncConnection(id: string): Promise<SyncRunEntity> {
    assertStaff();
    return this.db.run(async (manager) => {
      const connection = await this.findStaffConnection(manager, id, true);
      if (!SYNCABLE.includes(connection.status)) {
        throw BadUserInputError.forField('id', `connection ${id} is ${connection.status}: only an ACTIVE or FAILING connection can be synced`);
      }
      const client = await findVisibleClient(manager, connection.clientId);
      const provider = this.providerFor(connection.provider);
      const window = syncWindow('MANUAL', localDate(new Date(), client.timeZone), provider, this.config.connectors.backfillMonths);
      const run = await queueSyncRun(manager, this.queue, connection, 'MANUAL', window, provider.chunkDays);
      if (run === null) throw BadUserInputError.forField('id', `a sync of connection ${id} is already queued or running; wait for it to finish`);
      await recordAudit(manager, {
        action: 'data_connection.sync_requested',
        entityType: 'data_connection',
        entityId: connection.id,
        data: { runId: run.id, ...window },
      });
      return manager.findOneByOrFail(SyncRunEntity, { agencyId: run.agencyId, id: run.id });
    });
  }

  /** The client's connections, revoked ones included, newest first. */
  async listConnections(clientId: string, page: KeysetPageRequest): Promise<KeysetPage<DataConnectionEntity>> {
    const tenant = assertStaff();
    return this.db.run(async (manager) => {
      const client = await findVisibleClient(manager, clientId);
      return keysetPage(dataConnectionsOfClientQuery(manager, tenant.agencyId, client.id), page, {
        alias: 'connection',
        sortBy: 'createdAt',
        direction: 'DESC',
      });
    });
  }

  /** One connection; NOT_FOUND for another agency's, exactly like a missing one. */
  async getConnection(id: string): Promise<DataConnectionEntity> {
    assertStaff();
    return this.db.run((manager) => this.findStaffConnection(manager, id, false));
  }

  /** A connection's sync runs, newest first. */
  async listRuns(connectionId: string, page: KeysetPageRequest): Promise<KeysetPage<SyncRunEntity>> {
    const tenant = assertStaff();
    return this.db.run(async (manager) => {
      const connection = await this.findStaffConnection(manager, connectionId, false);
      return keysetPage(syncRunsOfConnectionQuery(manager, tenant.agencyId, connection.id), page, { alias: 'run', sortBy: 'queuedAt', direction: 'DESC' });
    });
  }

  /** Clients by id, for the connections' `client` field (batched per request); missing ones are null. */
  async clientsByIds(ids: readonly string[]): Promise<(ClientEntity | null)[]> {
    const { agencyId } = assertStaff();
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return ids.map(() => null);
    const found = await this.db.run((manager) =>
      manager.createQueryBuilder(ClientEntity, 'client').where('client.agencyId = :agencyId AND client.id IN (:...ids)', { agencyId, ids: valid }).getMany(),
    );
    const byId = new Map(found.map((client) => [client.id, client]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** The attribution or freshness choice the provider made, in words (null: none to state). */
  dataNoteOf(provider: DataProvider): string | null {
    return this.providers.all().find((candidate) => candidate.provider === provider)?.dataNote ?? null;
  }

  /** Records a new authorization of `connection` and returns its consent URL. */
  private async authorize(manager: EntityManager, connection: DataConnectionEntity, provider: DataProviderConnector): Promise<string> {
    const tenant = currentTenant();
    const { state, hash } = createState(connection.agencyId);
    const pkce = createPkcePair();
    const id = randomUUID();
    const sealed = this.vault.sealVerifier(connection.agencyId, id, pkce.verifier);
    await manager.insert(DataConnectionAuthorizationEntity, {
      agencyId: connection.agencyId,
      id,
      connectionId: connection.id,
      stateHash: hash,
      verifierCiphertext: sealed.ciphertext,
      verifierKeyId: sealed.keyId,
      createdBy: tenant.userId,
      expiresAt: new Date(Date.now() + AUTHORIZATION_TTL_MS),
      usedAt: null,
    });
    await recordAudit(manager, {
      action: 'data_connection.authorization_requested',
      entityType: 'data_connection',
      entityId: connection.id,
      data: { authorizationId: id },
    });
    return provider.oauth.authorizationUrl({ state, codeChallenge: pkce.challenge, scopes: provider.scopes });
  }

  /** Checks and uses up the callback's authorization (committed whatever follows); the code exchange's inputs, or the outcome already known. */
  private async acceptCallback(
    manager: EntityManager,
    agencyId: string,
    state: string,
    callback: AuthorizationCallback,
  ): Promise<AcceptedCallback | AuthorizationOutcome> {
    const authorization = await findAuthorizationByStateHash(manager, agencyId, sha256Hex(state));
    if (authorization === null) return { kind: 'REFUSED', reason: 'This connect link is not valid: ask for a new one' };
    const now = new Date();
    if (!(await markAuthorizationUsed(manager, agencyId, authorization.id, now))) {
      return { kind: 'REFUSED', reason: 'This connect link was already used: ask for a new one if the account is not connected' };
    }
    if (authorization.expiresAt.getTime() <= now.getTime()) return { kind: 'REFUSED', reason: 'This connect link has expired: ask for a new one' };
    const connection = await findDataConnection(manager, agencyId, authorization.connectionId, true);
    if (connection === null || connection.status === 'REVOKED') return { kind: 'REFUSED', reason: 'This connection was removed by the agency' };
    const provider = this.providerFor(connection.provider);
    if (callback.error !== null) {
      const reason = OAUTH_ERRORS[callback.error] ?? `${provider.platform} did not grant access`;
      await manager.update(DataConnectionEntity, { agencyId, id: connection.id }, { lastError: reason });
      await recordAudit(manager, {
        action: 'data_connection.authorization_declined',
        entityType: 'data_connection',
        entityId: connection.id,
        data: { reason },
      });
      return reason === DECLINED ? { kind: 'DECLINED', platform: provider.platform, reason } : { kind: 'REFUSED', reason };
    }
    if (callback.code === null || callback.code === '')
      return { kind: 'REFUSED', reason: `${provider.platform} sent no authorization code: open the connect link again` };
    const codeVerifier = this.vault.openVerifier(agencyId, authorization.id, {
      ciphertext: authorization.verifierCiphertext,
      keyId: authorization.verifierKeyId,
    });
    return { connection, provider, codeVerifier, code: callback.code };
  }

  private async recordAuthorizationFailure(manager: EntityManager, connection: DataConnectionEntity, reason: string): Promise<void> {
    await manager.update(DataConnectionEntity, { agencyId: connection.agencyId, id: connection.id }, { lastError: reason });
    await recordAudit(manager, { action: 'data_connection.authorization_failed', entityType: 'data_connection', entityId: connection.id, data: { reason } });
  }

  /** Seals the tokens, makes the connection ACTIVE and queues its first sync. */
  private async activate(
    manager: EntityManager,
    connectionId: string,
    provider: DataProviderConnector,
    tokens: ConnectionTokens,
  ): Promise<AuthorizationOutcome> {
    const { agencyId } = currentTenant();
    const connection = await findDataConnection(manager, agencyId, connectionId, true);
    // Revoked while the platform answered: the tokens are not kept.
    if (connection === null || connection.status === 'REVOKED') return { kind: 'REFUSED', reason: 'This connection was removed by the agency' };
    const client = await manager.findOneByOrFail(ClientEntity, { agencyId, id: connection.clientId });
    const sealed = this.vault.sealTokens(agencyId, connection.id, tokens);
    const kind: SyncRunKind = (await hasSucceededBackfill(manager, agencyId, connection.id)) ? 'DAILY' : 'BACKFILL';
    const window = this.firstWindow(kind, connection, provider, localDate(new Date(), client.timeZone));
    await manager.update(
      DataConnectionEntity,
      { agencyId, id: connection.id },
      {
        status: 'ACTIVE',
        lastError: null,
        tokenCiphertext: sealed.ciphertext,
        tokenKeyId: sealed.keyId,
        tokenExpiresAt: sealed.expiresAt,
        scopes: sealed.scopes,
        ...(kind === 'BACKFILL' ? { backfillFrom: window.from } : {}),
      },
    );
    // Null: a run of the connection is already queued or running; it will use the new tokens.
    const run = await queueSyncRun(manager, this.queue, connection, kind, window, provider.chunkDays);
    await recordAudit(manager, {
      action: 'data_connection.authorized',
      entityType: 'data_connection',
      entityId: connection.id,
      data: { provider: connection.provider, accountId: connection.accountId, runId: run?.id ?? null, runKind: run === null ? null : kind },
    });
    return { kind: 'CONNECTED', platform: provider.platform, accountId: connection.accountId };
  }

  /**
   * The first run after an authorization: the backfill of a new connection, or after a
   * reauthorization the daily window stretched back to the day after the last one pulled (the
   * days missed while the connection waited), re-pulling the provider's lookback before it.
   */
  private firstWindow(kind: SyncRunKind, connection: DataConnectionEntity, provider: DataProviderConnector, today: string): DayRange {
    const window = syncWindow(kind, today, provider, this.config.connectors.backfillMonths);
    if (kind === 'BACKFILL' || connection.dataThrough === null) return window;
    const catchUpFrom = addDays(connection.dataThrough, -provider.lookbackDays);
    return catchUpFrom < window.from ? { from: catchUpFrom, to: window.to } : window;
  }

  private async findStaffConnection(manager: EntityManager, id: string, lock: boolean): Promise<DataConnectionEntity> {
    const { agencyId } = currentTenant();
    const connection = isUuid(id) ? await findDataConnection(manager, agencyId, id, lock) : null;
    if (connection === null) throw new NotFoundError('DataConnection', id);
    return connection;
  }

  /** The provider, configured: BAD_USER_INPUT on `provider` naming the variables to set otherwise. */
  private providerFor(provider: DataProvider): DataProviderConnector {
    const found = this.providers.all().find((candidate) => candidate.provider === provider);
    if (found === undefined) throw BadUserInputError.forField('provider', `${provider} connections are not available in this version`);
    const settings = REQUIRED_SETTINGS[provider];
    const adsTokenMissing = provider === 'GOOGLE_ADS' && this.config.connectors.googleAdsDeveloperToken === null;
    if (!found.oauth.configured || adsTokenMissing) {
      throw BadUserInputError.forField('provider', `${found.platform} is not configured on this server: set ${settings.join(', ')}`);
    }
    return found;
  }
}

/** Owners and managers only; a client viewer (or anything else) is FORBIDDEN. */
function assertStaff(): ReturnType<typeof currentTenant> {
  const tenant = currentTenant();
  if (tenant.role !== 'OWNER' && tenant.role !== 'MANAGER') throw new ForbiddenError('Only the agency’s owners and managers manage data connections');
  return tenant;
}

/** An unexpected error's class name only: its message could quote a request (and so a code or a token). */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
