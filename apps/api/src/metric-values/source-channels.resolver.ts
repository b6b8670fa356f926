import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { SourceChannelService } from '@pilotage/ingestion';
import { AgencyStaff } from '../auth/auth.guard';
import { ClearSourceChannelArgs, SetSourceChannelArgs, SourceChannelsArgs } from './dto/source-channel.args';
import { SourceChannel, SourceChannelChange } from './source-channel.model';

/** A client's source → channel choices: agency staff only (a client viewer reads reports, not the plumbing). */
@Resolver(() => SourceChannel)
export class SourceChannelsResolver {
  constructor(private readonly service: SourceChannelService) {}

  @AgencyStaff()
  @Query(() => [SourceChannel], {
    description: 'The client’s sources (from its stored values and its choices), by name, at most 500, with the channel each goes to.',
  })
  async sourceChannels(@Args() args: SourceChannelsArgs): Promise<SourceChannel[]> {
    return [...(await this.service.list(args.clientId))].map((source) => ({ ...source, valueChannels: [...source.valueChannels] }));
  }

  @AgencyStaff()
  @Mutation(() => SourceChannelChange, {
    description:
      'Chooses the channel of a source for the client: values sent later without a channel take it, and the stored values move to it ' +
      '(audited). CONFLICT when the source holds values of several channels for one metric and day (one channel would merge them).',
  })
  async setSourceChannel(@Args() args: SetSourceChannelArgs): Promise<SourceChannelChange> {
    const change = await this.service.set(args.clientId, args.source, args.channel);
    return { movedValues: change.movedValues, sourceChannel: { ...change.sourceChannel, valueChannels: [...change.sourceChannel.valueChannels] } };
  }

  @AgencyStaff()
  @Mutation(() => SourceChannel, {
    description:
      'Forgets the client’s channel for a source: values sent later without a channel take the default. Stored values keep their channel ' +
      '(whether it came from the choice or from the row is not recorded); to move them, choose the default with setSourceChannel.',
  })
  async clearSourceChannel(@Args() args: ClearSourceChannelArgs): Promise<SourceChannel> {
    const cleared = await this.service.clear(args.clientId, args.source);
    return { ...cleared, valueChannels: [...cleared.valueChannels] };
  }
}
