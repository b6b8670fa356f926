import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { validateLogoDataUri } from '../agencies/logo';
import { AgencyStaff, ApiKeyAccess } from '../auth/auth.guard';
import { Client, ClientConnection } from './client.model';
import { ClientsService } from './clients.service';
import { ClientsArgs, CreateClientInput, UpdateClientInput } from './dto/client.inputs';

@Resolver(() => Client)
export class ClientsResolver {
  constructor(private readonly clientsService: ClientsService) {}

  @ApiKeyAccess('ANALYTICS_READ')
  @Query(() => ClientConnection, { description: 'Clients of the agency, oldest first. A client viewer sees only their client.' })
  clients(@Args() args: ClientsArgs): Promise<ClientConnection> {
    return this.clientsService.list(args);
  }

  @ApiKeyAccess('ANALYTICS_READ')
  @Query(() => Client, { description: 'One client; NOT_FOUND when it does not exist or is not yours.' })
  client(@Args('id', { type: () => ID, description: 'Client id.' }) id: string): Promise<Client> {
    return this.clientsService.get(id);
  }

  @AgencyStaff()
  @Mutation(() => Client, { description: 'Creates a client.' })
  createClient(@Args('input') input: CreateClientInput): Promise<Client> {
    if (input.logoDataUri !== undefined) validateLogoDataUri('logoDataUri', input.logoDataUri);
    return this.clientsService.create(input);
  }

  @AgencyStaff()
  @Mutation(() => Client, { description: 'Updates a client.' })
  updateClient(@Args('input') input: UpdateClientInput): Promise<Client> {
    if (input.logoDataUri !== undefined) validateLogoDataUri('logoDataUri', input.logoDataUri);
    return this.clientsService.update(input);
  }

  @AgencyStaff()
  @Mutation(() => Client, { description: 'Archives a client: no more reports, hidden from lists by default.' })
  archiveClient(@Args('id', { type: () => ID, description: 'Client id.' }) id: string): Promise<Client> {
    return this.clientsService.archive(id);
  }
}
