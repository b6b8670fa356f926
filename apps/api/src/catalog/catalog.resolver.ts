import { Args, Query, Resolver } from '@nestjs/graphql';
import { CatalogKpi, CatalogMetric, Objective } from './catalog.models';
import { CatalogService } from './catalog.service';
import { CatalogArgs, KpiCatalogArgs } from './dto/catalog.args';

@Resolver()
export class CatalogResolver {
  constructor(private readonly catalog: CatalogService) {}

  @Query(() => [CatalogMetric], { description: 'Metrics of the system catalog, then the agency’s own (custom: true).' })
  metricCatalog(@Args() args: CatalogArgs): Promise<CatalogMetric[]> {
    return this.catalog.metrics(args);
  }

  @Query(() => [CatalogKpi], { description: 'KPIs of the system catalog, then the agency’s own (custom: true), optionally filtered.' })
  kpiCatalog(@Args() args: KpiCatalogArgs): Promise<CatalogKpi[]> {
    return this.catalog.kpis(args);
  }

  @Query(() => [Objective], { description: 'Strategic objectives a kickoff can choose, with the KPIs that measure them.' })
  objectives(@Args() args: CatalogArgs): Promise<Objective[]> {
    return this.catalog.objectives(args);
  }
}
