import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Roles } from '../auth/auth.guard';
import { PageArgs } from '../common/pagination';
import { ApiKey, ApiKeyConnection, CreatedApiKey } from './api-key.model';
import { ApiKeysService } from './api-keys.service';
import { CreateApiKeyInput } from './dto/api-key.inputs';

/** The agency's API keys: owners only (a key itself may not touch keys: no `@ApiKeyAccess`). */
@Resolver()
export class ApiKeysResolver {
  constructor(private readonly keys: ApiKeysService) {}

  @Roles('OWNER')
  @Query(() => ApiKeyConnection, { description: 'The agency’s API keys, revoked ones included, newest first (owners only). Never their secrets.' })
  apiKeys(@Args() args: PageArgs): Promise<ApiKeyConnection> {
    return this.keys.list(args);
  }

  @Roles('OWNER')
  @Mutation(() => CreatedApiKey, {
    description:
      'Creates an API key (owners only) and returns its secret, this once. CONFLICT past the cap of active keys per agency; ' +
      'BAD_USER_INPUT on `clientIds.<index>` for a client that is not an active client of the agency.',
  })
  createApiKey(@Args('input') input: CreateApiKeyInput): Promise<CreatedApiKey> {
    return this.keys.create(input);
  }

  @Roles('OWNER')
  @Mutation(() => ApiKey, { description: 'Revokes an API key (owners only): it is refused from the next request on. Revoking it again changes nothing.' })
  revokeApiKey(@Args('id', { type: () => ID, description: 'Key id.' }) id: string): Promise<ApiKey> {
    return this.keys.revoke(id);
  }
}
