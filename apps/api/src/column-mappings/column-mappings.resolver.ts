import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AgencyStaff } from '../auth/auth.guard';
import { ColumnMapping } from './column-mapping.model';
import { ColumnMappingsService } from './column-mappings.service';
import { SaveColumnMappingInput } from './dto/save-column-mapping.input';

@Resolver()
export class ColumnMappingsResolver {
  constructor(private readonly mappings: ColumnMappingsService) {}

  @AgencyStaff()
  @Query(() => [ColumnMapping], { description: 'The client’s saved column mappings, by name (at most 50).' })
  columnMappings(@Args('clientId', { type: () => ID, description: 'Client.' }) clientId: string): Promise<ColumnMapping[]> {
    return this.mappings.list(clientId);
  }

  @AgencyStaff()
  @Mutation(() => ColumnMapping, {
    description: 'Creates a column mapping, or replaces one when `id` is given; BAD_USER_INPUT names each invalid field, CONFLICT for a name already used.',
  })
  saveColumnMapping(@Args('input') input: SaveColumnMappingInput): Promise<ColumnMapping> {
    return this.mappings.save(input);
  }

  @AgencyStaff()
  @Mutation(() => ColumnMapping, { description: 'Deletes a column mapping and returns it.' })
  deleteColumnMapping(@Args('id', { type: () => ID, description: 'Column mapping id.' }) id: string): Promise<ColumnMapping> {
    return this.mappings.delete(id);
  }
}
