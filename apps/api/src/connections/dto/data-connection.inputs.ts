import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { IsIn, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { DATA_PROVIDERS, type DataProvider } from '@pilotage/database';
import { IsNotBlank, IsPlainText } from '../../common/validators';
import { PageArgs } from '../../common/pagination';
import { DataProviderEnum } from '../data-connection.model';

@InputType({ description: 'A new connection of a client to a platform account (owners and managers).' })
export class StartDataConnectionInput {
  @Field(() => ID, { description: 'The client whose figures the account feeds (an active client of the agency).' })
  @IsUUID('all', { message: 'clientId must be the id of a client' })
  clientId!: string;

  @Field(() => DataProviderEnum, { description: 'The platform.' })
  @IsIn(DATA_PROVIDERS, { message: `provider must be one of ${DATA_PROVIDERS.join(', ')}` })
  provider!: DataProvider;

  @Field({ description: 'The account on the platform, as `DataProvider` describes it; normalized (dashes, prefixes) before it is stored.' })
  @IsString()
  @MinLength(1, { message: 'accountId must not be empty' })
  @MaxLength(200)
  @IsPlainText()
  @IsNotBlank()
  accountId!: string;
}

@ArgsType()
export class DataConnectionsArgs extends PageArgs {
  @Field(() => ID, { description: 'The client.' })
  @IsString()
  @MaxLength(100)
  clientId!: string;
}
