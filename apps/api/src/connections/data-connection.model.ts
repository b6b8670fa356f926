import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  DATA_CONNECTION_STATUSES,
  DATA_PROVIDERS,
  SYNC_RUN_KINDS,
  SYNC_RUN_STATUSES,
  type DataConnectionStatus,
  type DataProvider,
  type SyncRunKind,
  type SyncRunStatus,
} from '@pilotage/database';
import { enumObject } from '../common/graphql-enums';
import { Connection } from '../common/pagination';

export const DataProviderEnum = enumObject<DataProvider>(DATA_PROVIDERS);
registerEnumType(DataProviderEnum, {
  name: 'DataProvider',
  description:
    'A platform a client’s account can be connected to, and the account id it expects. GA4: a Google Analytics 4 property id (digits). ' +
    'GOOGLE_ADS: a Google Ads customer id (10 digits). META_ADS: a Meta ad account (`act_<digits>`). SEARCH_CONSOLE: a Search Console ' +
    'property (`sc-domain:example.com` or a URL prefix such as `https://www.example.com/`). A malformed id is refused with what is expected.',
});

export const DataConnectionStatusEnum = enumObject<DataConnectionStatus>(DATA_CONNECTION_STATUSES);
registerEnumType(DataConnectionStatusEnum, {
  name: 'DataConnectionStatus',
  description:
    'PENDING: waiting for the account owner to open the connect link and consent. ACTIVE: synced every day. ' +
    'NEEDS_REAUTHORIZATION: the platform refused the tokens (access removed, password changed): send a new connect link ' +
    '(`reauthorizeDataConnection`). FAILING: the last sync failed for another reason (an outage, a quota); retried on schedule. ' +
    'REVOKED: disconnected by the agency; the values already pulled stay.',
});

export const SyncRunKindEnum = enumObject<SyncRunKind>(SYNC_RUN_KINDS);
registerEnumType(SyncRunKindEnum, {
  name: 'SyncRunKind',
  description:
    'BACKFILL: the history pulled when a connection is made (CONNECTOR_BACKFILL_MONTHS months). DAILY: the scheduled re-pull of the ' +
    'provider’s lookback window (platforms restate recent days), or the catch-up after a reauthorization. MANUAL: asked for with `syncDataConnection`.',
});

export const SyncRunStatusEnum = enumObject<SyncRunStatus>(SYNC_RUN_STATUSES);
registerEnumType(SyncRunStatusEnum, {
  name: 'SyncRunStatus',
  description: 'QUEUED: waiting for a worker. RUNNING: pulling chunks. SUCCEEDED: every chunk written. FAILED: stopped; `error` says why.',
});

@ObjectType({ description: 'One sync of a data connection: the days it covers, its progress, what it wrote and how it ended.' })
export class SyncRun {
  @Field(() => ID, { description: 'Run id.' })
  id!: string;

  @Field(() => SyncRunKindEnum, { description: 'Why the run exists.' })
  kind!: SyncRunKind;

  @Field(() => SyncRunStatusEnum, { description: 'Where the run is.' })
  status!: SyncRunStatus;

  @Field({ description: 'First day pulled (`YYYY-MM-DD`, in the platform account’s time zone).' })
  windowStart!: string;

  @Field({ description: 'Last day pulled, inclusive (`YYYY-MM-DD`).' })
  windowEnd!: string;

  @Field(() => Int, { description: 'Pulls the window is cut into (a backfill is pulled a chunk of days at a time).' })
  chunksTotal!: number;

  @Field(() => Int, { description: 'Chunks pulled and written so far.' })
  chunksDone!: number;

  @Field(() => Float, { description: 'Progress from 0 to 1: chunks done over chunks (1 once SUCCEEDED).' })
  progress!: number;

  @Field(() => Int, { description: 'Values read from the platform.' })
  rows!: number;

  @Field(() => Int, { description: 'Values that were new.' })
  inserted!: number;

  @Field(() => Int, { description: 'Values the platform restated (replaced, never added twice).' })
  updated!: number;

  @Field(() => Int, { description: 'Values pulled again unchanged.' })
  unchanged!: number;

  @Field(() => Int, { description: 'Values of the window the platform no longer reports, removed.' })
  deleted!: number;

  @Field(() => Int, { description: 'Times a worker started the run (retries after outages or rate limits included).' })
  attempts!: number;

  @Field(() => String, { nullable: true, description: 'Why the run failed, in words (never a token); null unless FAILED or retrying.' })
  error!: string | null;

  @Field({ description: 'When the run was queued.' })
  queuedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a worker first started it; null while QUEUED.' })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it ended; null while QUEUED or RUNNING.' })
  finishedAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'From start to end, in milliseconds; null until it ended.' })
  durationMs!: number | null;
}

@ObjectType({ description: 'A page of sync runs, newest first.' })
export class SyncRunConnection extends Connection(SyncRun, 'SyncRun') {}

@ObjectType({
  description:
    'A client’s connection to one platform account, synced every day into the client’s metric values (source = `source`). ' +
    'Its OAuth tokens are kept only encrypted and are never returned by the API.',
})
export class DataConnection {
  @Field(() => ID, { description: 'Connection id.' })
  id!: string;

  /** Resolved by ConnectionsResolver.client (batched per request). */
  clientId!: string;

  @Field(() => DataProviderEnum, { description: 'The platform.' })
  provider!: DataProvider;

  @Field({ description: 'The account as the platform names it, normalized (`1234567890` for a Google Ads customer, `act_123` for Meta).' })
  accountId!: string;

  @Field(() => String, { nullable: true, description: 'The account’s name on the platform, when known.' })
  accountName!: string | null;

  @Field({ description: 'The `source` its values are recorded under in analytics and reports ("Google Ads 1234567890").' })
  source!: string;

  @Field(() => DataConnectionStatusEnum, { description: 'Where the connection stands.' })
  status!: DataConnectionStatus;

  @Field(() => String, { nullable: true, description: 'Why the connection is not syncing, in words for the agency (never a token); null when all is well.' })
  lastError!: string | null;

  @Field(() => String, { nullable: true, description: 'Last day (`YYYY-MM-DD`) whose figures were pulled; null before the first sync.' })
  dataThrough!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the last sync finished; null before the first one.' })
  lastSyncedAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'The attribution or freshness choice made for this platform, in words (Meta’s attribution setting), to show beside its figures.',
  })
  dataNote!: string | null;

  @Field({ description: 'When the connection was started.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the agency revoked it; null while it is not revoked.' })
  revokedAt!: Date | null;
}

@ObjectType({ description: 'A page of data connections, newest first.' })
export class DataConnectionConnection extends Connection(DataConnection, 'DataConnection') {}

@ObjectType({ description: 'A connection waiting for consent and the connect link to send to the account owner.' })
export class DataConnectionAuthorization {
  @Field(() => DataConnection, { description: 'The connection (PENDING when new; a reauthorized one keeps its status until consent).' })
  connection!: DataConnection;

  @Field({
    description:
      'The platform’s consent page. Send it to someone with access to the account: they sign in at the platform (never sharing a password ' +
      'with the agency) and consent; the connection then becomes ACTIVE and its history is pulled. Works once, for 30 minutes.',
  })
  authorizationUrl!: string;
}
