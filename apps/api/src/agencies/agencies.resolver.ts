import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { AgencyEntity, currentTenant, recordAudit, TenantDatabase } from '@pilotage/database';
import { Roles } from '../auth/auth.guard';
import { toAgencyModel } from './agency.mapper';
import { Agency } from './agency.model';
import { UpdateAgencyInput } from './dto/update-agency.input';
import { validateLogoDataUri } from './logo';

@Resolver(() => Agency)
export class AgenciesResolver {
  constructor(private readonly db: TenantDatabase) {}

  @Roles('OWNER')
  @Mutation(() => Agency, { description: 'Updates the agency’s settings and report branding (owners only).' })
  async updateAgency(@Args('input') input: UpdateAgencyInput): Promise<Agency> {
    if (input.logoDataUri !== undefined) validateLogoDataUri('logoDataUri', input.logoDataUri);
    const { agencyId } = currentTenant();
    return this.db.run(async (manager) => {
      const agency = await manager.findOneByOrFail(AgencyEntity, { id: agencyId });
      const changed = Object.entries(input).filter(([, value]) => value !== undefined);
      Object.assign(agency, Object.fromEntries(changed));
      await manager.save(AgencyEntity, agency);
      await recordAudit(manager, {
        action: 'agency.updated',
        entityType: 'agency',
        entityId: agencyId,
        data: { changes: changed.map(([key]) => key) },
      });
      return toAgencyModel(agency);
    });
  }
}
