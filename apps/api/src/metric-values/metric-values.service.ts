import { Injectable } from '@nestjs/common';
import { currentTenant, findVisibleClient, keysetPage, mapKeysetPage, MetricImportEntity, TenantDatabase } from '@pilotage/database';
import { MetricImportService } from '@pilotage/ingestion';
import type { MetricImportsArgs, RecordMetricValuesInput } from './dto/metric-value.inputs';
import type { MetricImport, MetricImportConnection, MetricValuesRecorded } from './metric-import.model';

/**
 * The GraphQL side of metric values: recording and importing are {@link MetricImportService}'s
 * (libs/ingestion); this maps its domain values to the API's types and lists the history.
 */
@Injectable()
export class MetricValuesService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly imports: MetricImportService,
  ) {}

  async record(input: RecordMetricValuesInput): Promise<MetricValuesRecorded> {
    const recorded = await this.imports.record(input);
    return { importId: recorded.importId, inserted: recorded.inserted, updated: recorded.updated, unchanged: recorded.unchanged };
  }

  async listImports(args: MetricImportsArgs): Promise<MetricImportConnection> {
    const tenant = currentTenant();
    return this.db.run(async (manager) => {
      const client = await findVisibleClient(manager, args.clientId);
      const query = manager
        .createQueryBuilder(MetricImportEntity, 'import')
        .where('import.agencyId = :agencyId AND import.clientId = :clientId', { agencyId: tenant.agencyId, clientId: client.id });
      return mapKeysetPage(await keysetPage(query, args, { alias: 'import', sortBy: 'createdAt', direction: 'DESC' }), toMetricImportModel);
    });
  }
}

export function toMetricImportModel(entity: MetricImportEntity): MetricImport {
  return {
    id: entity.id,
    clientId: entity.clientId,
    kind: entity.kind,
    fileName: entity.fileName,
    status: entity.status,
    rows: entity.rows,
    inserted: entity.inserted,
    updated: entity.updated,
    unchanged: entity.unchanged,
    errorCount: entity.errors.count,
    errors: entity.errors.first.map(({ line, column, code, message }) => ({ line, column, code, message })),
    createdBy: entity.createdBy,
    apiKeyId: entity.apiKeyId,
    createdAt: entity.createdAt,
  };
}
