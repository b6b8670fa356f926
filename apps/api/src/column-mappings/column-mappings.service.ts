import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BadUserInputError, ConflictError, NotFoundError } from '@pilotage/common';
import { loadAgencyCatalog } from '@pilotage/analytics';
import {
  ClientColumnMappingEntity,
  currentTenant,
  findColumnMappings,
  findVisibleClient,
  findWritableClient,
  isUuid,
  lockForTransaction,
  MAX_COLUMN_MAPPINGS_PER_CLIENT,
  recordAudit,
  TenantDatabase,
  type StoredColumnMapping,
} from '@pilotage/database';
import { checkColumnMapping, columnMappingFromStored, type ColumnMapping as MappingDefinition } from '@pilotage/ingestion';
import type { ColumnMapping } from './column-mapping.model';
import type { SaveColumnMappingInput } from './dto/save-column-mapping.input';

function toModel(entity: ClientColumnMappingEntity): ColumnMapping {
  const definition = entity.definition;
  const mapping = columnMappingFromStored(entity.name, definition);
  return {
    id: entity.id,
    clientId: entity.clientId,
    name: entity.name,
    dateColumn: definition.dateColumn,
    // A stored definition is checked on save; columnMappingFromStored narrows its unions again.
    dateFormat: mapping?.dateFormat ?? 'ISO',
    campaignColumn: definition.campaignColumn,
    channel: mapping?.channel ?? 'OTHER',
    channelColumn: definition.channelColumn,
    channelValues: mapping?.channelValues.map((pair) => ({ ...pair })) ?? [],
    source: definition.source,
    metrics: definition.metrics.map((pair) => ({ ...pair })),
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

/**
 * Saved column mappings, per client: agency staff describe once how to read an export no preset
 * knows, then import it with `?mapping=<id>`. Another agency's client or mapping is NOT_FOUND.
 */
@Injectable()
export class ColumnMappingsService {
  constructor(private readonly db: TenantDatabase) {}

  async list(clientId: string): Promise<ColumnMapping[]> {
    return this.db.run(async (manager) => {
      const client = await findVisibleClient(manager, clientId);
      return (await findColumnMappings(manager, client.id)).map(toModel);
    });
  }

  async save(input: SaveColumnMappingInput): Promise<ColumnMapping> {
    const { agencyId, userId } = currentTenant();
    return this.db.run(async (manager) => {
      const client = await findWritableClient(manager, input.clientId);
      // Serialises saves of one client's mappings: the count bound and the unique name hold under concurrency.
      await lockForTransaction(manager, `column-mappings:${agencyId}:${client.id}`);
      const definition: MappingDefinition = {
        name: input.name.trim(),
        dateColumn: input.dateColumn.trim(),
        dateFormat: input.dateFormat,
        campaignColumn: input.campaignColumn?.trim() || null,
        channel: input.channel,
        channelColumn: input.channelColumn?.trim() || null,
        channelValues: input.channelValues.map((pair) => ({ value: pair.value.trim(), channel: pair.channel })),
        source: input.source.trim(),
        metrics: input.metrics.map((pair) => ({ column: pair.column.trim(), metricKey: pair.metricKey })),
      };
      const catalog = await loadAgencyCatalog(manager);
      const problems = checkColumnMapping(definition, (key) => catalog.isMetric(key));
      if (problems.length > 0) {
        throw new BadUserInputError(
          `Invalid column mapping — ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`,
          problems.map((problem) => ({ field: problem.field, message: problem.message })),
        );
      }
      const existing = await findColumnMappings(manager, client.id);
      const sameName = existing.find((mapping) => mapping.name === definition.name && mapping.id !== input.id);
      if (sameName !== undefined) throw new ConflictError(`The client already has a column mapping named "${definition.name}"`);
      const { name, ...stored } = definition;
      const storedDefinition: StoredColumnMapping = stored;
      let entity: ClientColumnMappingEntity;
      if (input.id === undefined) {
        if (existing.length >= MAX_COLUMN_MAPPINGS_PER_CLIENT) {
          throw new ConflictError(`A client keeps at most ${MAX_COLUMN_MAPPINGS_PER_CLIENT} column mappings: delete one first`);
        }
        entity = manager.create(ClientColumnMappingEntity, {
          agencyId,
          id: randomUUID(),
          clientId: client.id,
          name,
          definition: storedDefinition,
          createdBy: userId,
        });
        await manager.insert(ClientColumnMappingEntity, entity);
      } else {
        const found = existing.find((mapping) => mapping.id === input.id);
        if (found === undefined) throw new NotFoundError('ColumnMapping', input.id);
        entity = Object.assign(found, { name, definition: storedDefinition });
        await manager.save(ClientColumnMappingEntity, entity);
      }
      await recordAudit(manager, {
        action: input.id === undefined ? 'column_mapping.created' : 'column_mapping.updated',
        entityType: 'column_mapping',
        entityId: entity.id,
        data: { clientId: client.id, name },
      });
      return toModel(await manager.findOneByOrFail(ClientColumnMappingEntity, { agencyId, id: entity.id }));
    });
  }

  async delete(id: string): Promise<ColumnMapping> {
    const { agencyId } = currentTenant();
    return this.db.run(async (manager) => {
      const entity = isUuid(id) ? await manager.findOneBy(ClientColumnMappingEntity, { agencyId, id }) : null;
      if (entity === null) throw new NotFoundError('ColumnMapping', id);
      await this.assertWritable(manager, entity);
      await manager.delete(ClientColumnMappingEntity, { agencyId, id });
      await recordAudit(manager, {
        action: 'column_mapping.deleted',
        entityType: 'column_mapping',
        entityId: id,
        data: { clientId: entity.clientId, name: entity.name },
      });
      return toModel(entity);
    });
  }

  /** A viewer never reaches here (staff only); an archived client's mappings are frozen like its data. */
  private async assertWritable(manager: EntityManager, entity: ClientColumnMappingEntity): Promise<void> {
    await findWritableClient(manager, entity.clientId);
  }
}
