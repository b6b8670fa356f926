import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { CHANNELS, type Channel } from '@pilotage/kpi';
import { SOURCE_MAX_LENGTH } from '@pilotage/ingestion';
import { ChannelEnum } from '../../common/kpi-enums';

@ArgsType()
export class SourceChannelsArgs {
  @Field(() => ID, { description: 'Client id.' })
  @IsString()
  clientId!: string;
}

@ArgsType()
export class ClearSourceChannelArgs {
  @Field(() => ID, { description: 'Client id.' })
  @IsString()
  clientId!: string;

  @Field({ description: `The source exactly as its values name it, at most ${SOURCE_MAX_LENGTH} characters.` })
  @IsString()
  // The service trims and names what is wrong; this only bounds the shape.
  @MaxLength(SOURCE_MAX_LENGTH * 4)
  source!: string;
}

@ArgsType()
export class SetSourceChannelArgs extends ClearSourceChannelArgs {
  @Field(() => ChannelEnum, { description: 'The channel of the source’s values.' })
  @IsIn(CHANNELS)
  channel!: Channel;
}
