import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { Channel } from '@pilotage/kpi';
import { ChannelEnum } from '../common/kpi-enums';

@ObjectType({ description: 'A source of a client’s values (a platform and account) and the channel its values go to.' })
export class SourceChannel {
  @Field({ description: 'The source as values name it ("Google Ads 123-456-7890").' })
  source!: string;

  @Field(() => ChannelEnum, { description: 'Channel of the source’s values sent without one: the client’s choice, else the default.' })
  channel!: Channel;

  @Field({ description: 'True when `channel` is the client’s choice; false when it is the default guessed from the source’s name.' })
  chosen!: boolean;

  @Field(() => ChannelEnum, { description: 'The channel guessed from the source’s name (Google Ads → PAID_SEARCH, Brevo → EMAIL, else OTHER).' })
  defaultChannel!: Channel;

  @Field(() => [ChannelEnum], { description: 'Channels the stored values carry: several for a source reporting per channel (GA4).' })
  valueChannels!: Channel[];

  @Field(() => Int, { description: 'Stored values of the source.' })
  valueCount!: number;
}

@ObjectType({ description: 'What setSourceChannel changed.' })
export class SourceChannelChange {
  @Field(() => SourceChannel, { description: 'The source with its new channel.' })
  sourceChannel!: SourceChannel;

  @Field(() => Int, { description: 'Stored values moved to the channel (their monthly figures were rebuilt).' })
  movedValues!: number;
}
