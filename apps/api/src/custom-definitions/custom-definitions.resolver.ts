import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AgencyStaff } from '../auth/auth.guard';
import { CustomKpi, CustomMetric } from './custom-definition.models';
import { CustomDefinitionsService } from './custom-definitions.service';
import { CreateCustomKpiInput, CreateCustomMetricInput, UpdateCustomKpiInput, UpdateCustomMetricInput } from './dto/custom-definition.inputs';

@Resolver()
export class CustomDefinitionsResolver {
  constructor(private readonly definitions: CustomDefinitionsService) {}

  @AgencyStaff()
  @Query(() => [CustomMetric], { description: 'The agency’s own metrics, oldest first.' })
  customMetrics(): Promise<CustomMetric[]> {
    return this.definitions.listMetrics();
  }

  @AgencyStaff()
  @Query(() => [CustomKpi], { description: 'The agency’s own KPIs, oldest first.' })
  customKpis(): Promise<CustomKpi[]> {
    return this.definitions.listKpis();
  }

  @AgencyStaff()
  @Mutation(() => CustomMetric, { description: 'Defines a metric; its key must not be a catalog key or one of yours.' })
  createCustomMetric(@Args('input') input: CreateCustomMetricInput): Promise<CustomMetric> {
    return this.definitions.createMetric(input);
  }

  @AgencyStaff()
  @Mutation(() => CustomMetric, { description: 'Updates a custom metric (not its key).' })
  updateCustomMetric(@Args('input') input: UpdateCustomMetricInput): Promise<CustomMetric> {
    return this.definitions.updateMetric(input);
  }

  @AgencyStaff()
  @Mutation(() => CustomMetric, { description: 'Deletes a custom metric; CONFLICT while a custom KPI uses it.' })
  deleteCustomMetric(@Args('id', { type: () => ID, description: 'Custom metric id.' }) id: string): Promise<CustomMetric> {
    return this.definitions.deleteMetric(id);
  }

  @AgencyStaff()
  @Mutation(() => CustomKpi, { description: 'Defines a KPI; BAD_USER_INPUT on `formula` for a syntax error, unknown reference or cycle.' })
  createCustomKpi(@Args('input') input: CreateCustomKpiInput): Promise<CustomKpi> {
    return this.definitions.createKpi(input);
  }

  @AgencyStaff()
  @Mutation(() => CustomKpi, { description: 'Updates a custom KPI (not its key); a new formula is validated like on creation.' })
  updateCustomKpi(@Args('input') input: UpdateCustomKpiInput): Promise<CustomKpi> {
    return this.definitions.updateKpi(input);
  }

  @AgencyStaff()
  @Mutation(() => CustomKpi, { description: 'Deletes a custom KPI; CONFLICT while another custom KPI or an active plan uses it.' })
  deleteCustomKpi(@Args('id', { type: () => ID, description: 'Custom KPI id.' }) id: string): Promise<CustomKpi> {
    return this.definitions.deleteKpi(id);
  }
}
