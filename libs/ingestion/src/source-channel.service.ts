import { Injectable } from '@nestjs/common';
import { BadUserInputError, ConflictError, findControlCharacter } from '@pilotage/common';
import {
  assertTenantCanWrite,
  currentTenant,
  deleteSourceChannel,
  findSourceChannelClash,
  findVisibleClient,
  findWritableClient,
  listClientSources,
  moveSourceValuesToChannel,
  recordAudit,
  saveSourceChannel,
  TenantDatabase,
} from '@pilotage/database';
import type { Channel } from '@pilotage/kpi';
import { QueryFailedError } from 'typeorm';
import { defaultChannelOfSource } from './metric-channel.rules';
import { SOURCE_MAX_LENGTH } from './metric-value.rules';

/** Sources listed at most: a client has a handful of platforms and accounts, not thousands. */
export const MAX_LISTED_SOURCES = 500;

/** A client's source and the channel its values go to. */
export interface SourceChannel {
  readonly source: string;
  /** Channel of the source's values sent without one: the client's choice, else the default. */
  readonly channel: Channel;
  /** True when `channel` is the client's choice; false when it is the default guessed from the name. */
  readonly chosen: boolean;
  /** What the default would be. */
  readonly defaultChannel: Channel;
  /** Channels the stored values carry (several for a source reporting per channel, as GA4). */
  readonly valueChannels: readonly Channel[];
  readonly valueCount: number;
}

export interface SourceChannelChange {
  readonly sourceChannel: SourceChannel;
  /** Stored values that changed channel. */
  readonly movedValues: number;
}

function uniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError: unknown = error.driverError;
  return typeof driverError === 'object' && driverError !== null && 'code' in driverError && driverError.code === '23505';
}

function checkedSource(text: string): string {
  const source = text.trim();
  if (source === '' || source.length > SOURCE_MAX_LENGTH) throw BadUserInputError.forField('source', `must have 1 to ${SOURCE_MAX_LENGTH} characters`);
  const control = findControlCharacter(source, 'MULTILINE');
  if (control !== null) throw BadUserInputError.forField('source', `must not contain control characters (found ${control})`);
  return source;
}

/**
 * The client's choices of channel per source. Choosing a channel applies to the values sent
 * later without one, and moves the values already stored (with their monthly roll-up), so that
 * the client's analytics and reports follow at once.
 *
 * Clearing a choice does not move values back: whether a value's channel came from the choice
 * or from its own row is not stored, and guessing would relabel GA4-style rows that said their
 * channel. Values keep their channel; to move them, choose the default explicitly.
 *
 * An import reads the client's choices when it starts: one running while a choice is made
 * writes the values it was sent with the channel in force at its start (the move does not see
 * rows not yet committed). Choosing again, or re-importing, settles them.
 */
@Injectable()
export class SourceChannelService {
  constructor(private readonly db: TenantDatabase) {}

  async list(clientId: string): Promise<SourceChannel[]> {
    assertTenantCanWrite();
    const tenant = currentTenant();
    return this.db.run(async (manager) => {
      const client = await findVisibleClient(manager, clientId);
      const sources = await listClientSources(manager, { agencyId: tenant.agencyId, clientId: client.id }, MAX_LISTED_SOURCES);
      return sources.map((summary) => {
        const defaultChannel = defaultChannelOfSource(summary.source);
        return {
          source: summary.source,
          channel: summary.chosenChannel ?? defaultChannel,
          chosen: summary.chosenChannel !== null,
          defaultChannel,
          valueChannels: summary.valueChannels,
          valueCount: summary.valueCount,
        };
      });
    });
  }

  /**
   * Stores the client's channel for a source and moves its stored values there, in one
   * transaction with its audit entry. Refused (CONFLICT, nothing changed) when two values of the
   * source differ only by channel: one channel would merge them into one key.
   */
  async set(clientId: string, sourceText: string, channel: Channel): Promise<SourceChannelChange> {
    assertTenantCanWrite();
    const source = checkedSource(sourceText);
    const tenant = currentTenant();
    return this.db.run(async (manager) => {
      const client = await findWritableClient(manager, clientId);
      const ref = { agencyId: tenant.agencyId, clientId: client.id };
      const clash = await findSourceChannelClash(manager, ref, source);
      if (clash !== null) {
        const campaign = clash.campaign === '' ? '' : ` and campaign "${clash.campaign}"`;
        throw new ConflictError(
          `Source "${source}" has values of several channels (${clash.channels.join(', ')}) for metric "${clash.metricKey}" on ${clash.date}${campaign}: ` +
            'one channel would merge them into one value. Its values say their channel themselves (as GA4 exports do); fix the channel in the file instead.',
          { source, metricKey: clash.metricKey, date: clash.date, channels: clash.channels },
        );
      }
      await saveSourceChannel(manager, ref, source, channel);
      let movedValues: number;
      try {
        movedValues = await moveSourceValuesToChannel(manager, ref, source, channel);
      } catch (error) {
        // An import committed a value of another channel for the same key since the check.
        if (uniqueViolation(error)) {
          throw new ConflictError(`Source "${source}" received values of another channel meanwhile; retry`, { source });
        }
        throw error;
      }
      await recordAudit(manager, {
        action: 'source_channel.set',
        entityType: 'client',
        entityId: client.id,
        data: { source, channel, movedValues },
      });
      const [listed] = await listClientSources(manager, ref, 1, source);
      const defaultChannel = defaultChannelOfSource(source);
      return {
        sourceChannel: {
          source,
          channel,
          chosen: true,
          defaultChannel,
          valueChannels: listed?.valueChannels ?? [],
          valueCount: listed?.valueCount ?? 0,
        },
        movedValues,
      };
    });
  }

  /** Forgets the client's choice: later values of the source take the default; stored values keep their channel. */
  async clear(clientId: string, sourceText: string): Promise<SourceChannel> {
    assertTenantCanWrite();
    const source = checkedSource(sourceText);
    const tenant = currentTenant();
    return this.db.run(async (manager) => {
      const client = await findWritableClient(manager, clientId);
      const ref = { agencyId: tenant.agencyId, clientId: client.id };
      const previous = await deleteSourceChannel(manager, ref, source);
      if (previous !== null) {
        await recordAudit(manager, { action: 'source_channel.cleared', entityType: 'client', entityId: client.id, data: { source, previous } });
      }
      const [listed] = await listClientSources(manager, ref, 1, source);
      const defaultChannel = defaultChannelOfSource(source);
      return {
        source,
        channel: defaultChannel,
        chosen: false,
        defaultChannel,
        valueChannels: listed?.valueChannels ?? [],
        valueCount: listed?.valueCount ?? 0,
      };
    });
  }
}
