import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Client } from '../clients/client.model';
import type { GraphqlContext } from '../common/graphql-context';
import { KpiPlan } from './kickoff.models';
import { KickoffsService } from './kickoffs.service';

@Resolver(() => Client)
export class ClientPlanResolver {
  constructor(private readonly kickoffs: KickoffsService) {}

  @ResolveField(() => KpiPlan, { nullable: true, description: 'The client’s active KPI plan, or null (batched per request).' })
  activePlan(@Parent() client: Client, @Context() context: GraphqlContext): Promise<KpiPlan | null> {
    return context.loaders.get('activePlanByClient', (ids) => this.kickoffs.activePlansByClient(ids)).load(client.id);
  }
}
