import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  currentTenant,
  CustomMetricEntity,
  MetricImportEntity,
  recordAudit,
  TenantDatabase,
  type MetricGranularity,
  type MetricImportErrorSummary,
  type MetricImportKind,
} from '@pilotage/database';
import { parseMetricCsv, type MetricCsvConventions, type MetricCsvOptions, type MetricCsvSummary } from '@pilotage/ingestion';
import { localDate, METRIC_CATALOG, METRIC_UNITS, type MetricUnit } from '@pilotage/kpi';
import { BadUserInputError } from '@pilotage/common';
import { decodeCursor, encodeCursor } from '../common/pagination';
import { ClientsService } from '../clients/clients.service';
import type { MetricImportsArgs, RecordMetricValuesInput } from './dto/metric-value.inputs';
import type { MetricImport, MetricImportConnection, MetricValuesRecorded } from './metric-import.model';
import {
  emptyMetricValueColumns,
  MetricValueRepository,
  type MetricValueBatchTarget,
  type MetricValueColumns,
  type MetricValueCorrection,
  type MetricValueUpsertResult,
  type MetricValueWriteCounts,
} from './metric-value.repository';
import { DEFAULT_METRIC_SOURCE, granularityProblem, valueProblem } from './metric-value.rules';
import { checkMetricValues } from './metric-value.validator';

/** Rows per upsert statement: large enough to amortize the round trip, small enough to stream. */
export const IMPORT_BATCH_SIZE = 5_000;
/** Errors returned by a CSV import; the count covers all of them. */
export const MAX_REPORTED_ERRORS = 1_000;
/** Errors kept on the import row, for the history screen. */
const MAX_STORED_ERRORS = 100;
/**
 * Corrections (old and new value) kept in the import's single audit entry. One entry per import
 * rather than one per value keeps a million-row re-import fast; the count is always exact, and
 * `metric_values.import_batch_id` tells which values an import last wrote.
 */
const MAX_AUDITED_CORRECTIONS = 1_000;

/** A problem found in a file: the parser's, or ours on a row the parser accepted. */
export interface MetricImportProblemRow {
  readonly line: number;
  readonly column: string;
  readonly columnIndex: number;
  readonly code: string;
  readonly message: string;
}

export interface MetricCsvImportOptions extends Pick<MetricCsvOptions, 'delimiter' | 'decimal' | 'dateFormat' | 'format'> {
  readonly dryRun: boolean;
  readonly source?: string;
  readonly granularity?: MetricGranularity;
  readonly fileName?: string;
}

/** The answer to a CSV import, dry run or not. */
export interface MetricCsvImportReport {
  /** Null for a dry run (nothing is recorded). */
  readonly importId: string | null;
  readonly status: 'DRY_RUN' | 'COMMITTED' | 'REJECTED';
  /** Valid values read. */
  readonly rows: number;
  /** For a dry run, what a commit would do; for a rejected file, 0. */
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly errorCount: number;
  readonly errorsTruncated: boolean;
  readonly errors: readonly MetricImportProblemRow[];
  readonly conventions: MetricCsvConventions | null;
}

/** A row the parser accepted but our storage rules refuse; its column is placed once the header is known. */
interface LateProblem {
  readonly line: number;
  readonly metricKey: string;
  readonly on: 'value' | 'date';
  readonly code: string;
  readonly message: string;
}

/** Thrown inside the import transaction to roll it back while keeping the report. */
class RejectedImport extends Error {
  constructor(readonly report: MetricCsvImportReport) {
    super('metric import rejected');
  }
}

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** Lets a query run while the next batch is parsed, without an unhandled rejection meanwhile. */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function unwrap<T>(settled: Settled<T>): T {
  if (!settled.ok) throw settled.error;
  return settled.value;
}

const CATALOG_UNITS: ReadonlyMap<string, { readonly unit: MetricUnit }> = new Map(
  METRIC_CATALOG.map((metric) => [metric.key, { unit: metric.unit }]),
);

function isMetricUnit(value: string): value is MetricUnit {
  return METRIC_UNITS.some((unit) => unit === value);
}

function normalizedHeader(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, '')
    .toLowerCase();
}

/** Places late problems in the file's columns, as the parser names them. */
function locateLateProblems(problems: readonly LateProblem[], summary: MetricCsvSummary | null): MetricImportProblemRow[] {
  const columns = summary?.columns ?? [];
  const normalized = columns.map(normalizedHeader);
  const dateIndex = Math.max(0, normalized.findIndex((name) => name === 'date' || name === 'jour' || name === 'day'));
  const valueIndex = normalized.findIndex((name) => name === 'value' || name === 'valeur');
  return problems.map((problem) => {
    let index = dateIndex;
    if (problem.on === 'value') {
      index = summary?.conventions.format === 'WIDE' ? normalized.indexOf(problem.metricKey.toLowerCase()) : valueIndex;
    }
    return { line: problem.line, column: columns[index] ?? '', columnIndex: index + 1, code: problem.code, message: problem.message };
  });
}

/**
 * Writes metric values (GraphQL calls and CSV files) and keeps the history of imports. Every
 * import is one tenant transaction: all of its values land, or none. Re-sending a value
 * replaces it (natural key), so a file imported twice never doubles the figures.
 */
@Injectable()
export class MetricValuesService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly clients: ClientsService,
  ) {}

  async record(input: RecordMetricValuesInput): Promise<MetricValuesRecorded> {
    const tenant = currentTenant();
    return this.db.run(async (manager) => {
      const client = await this.clients.findVisible(manager, input.clientId);
      const units = await this.metricUnits(manager);
      const { columns, problems } = checkMetricValues(input.values, { units, today: localDate(new Date(), client.timeZone) });
      if (problems.length > 0) {
        const shown = problems.slice(0, 20).map((problem) => `${problem.field}: ${problem.message}`);
        const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
        throw new BadUserInputError(`${problems.length} invalid value(s), nothing written — ${shown.join('; ')}${more}`, problems);
      }
      const importId = randomUUID();
      const target: MetricValueBatchTarget = { agencyId: tenant.agencyId, clientId: client.id, importId, enteredBy: tenant.userId };
      const result = await MetricValueRepository.upsert(manager, target, columns, MAX_AUDITED_CORRECTIONS);
      await MetricValueRepository.refreshMonthly(manager, target, result.touchedMonths);
      await this.saveImport(manager, target, 'API', null, columns.metricKeys.length, result, [...result.corrections], []);
      return { importId, inserted: result.inserted, updated: result.updated, unchanged: result.unchanged };
    });
  }

  /**
   * Streams a CSV export into the client's metric values. The body is read batch by batch
   * (never whole); while PostgreSQL upserts one batch, the next is parsed. The first error
   * stops the writing, the rest of the file is still read so that every error is reported,
   * and the transaction is rolled back: a rejected file changes no value. A dry run reads
   * the existing values instead of writing, to say what a commit would change.
   */
  async importCsv(clientId: string, body: Readable, options: MetricCsvImportOptions): Promise<MetricCsvImportReport> {
    const tenant = currentTenant();
    const importId = randomUUID();
    let rejected: MetricCsvImportReport;
    try {
      return await this.db.run(async (manager) => {
        const client = await this.clients.findVisible(manager, clientId);
        const units = await this.metricUnits(manager);
        const target: MetricValueBatchTarget = { agencyId: tenant.agencyId, clientId: client.id, importId, enteredBy: tenant.userId };
        const granularity = options.granularity ?? 'DAY';
        const batches = parseMetricCsv(body, {
          context: { knownMetrics: units, today: localDate(new Date(), client.timeZone), defaultSource: options.source?.trim() || DEFAULT_METRIC_SOURCE },
          delimiter: options.delimiter,
          decimal: options.decimal,
          dateFormat: options.dateFormat,
          format: options.format,
          batchSize: IMPORT_BATCH_SIZE,
          maxErrors: MAX_REPORTED_ERRORS,
        });

        const parserErrors: MetricImportProblemRow[] = [];
        const late: LateProblem[] = [];
        const corrections: MetricValueCorrection[] = [];
        const touchedMonths = new Set<string>();
        let rows = 0;
        let inserted = 0;
        let updated = 0;
        let unchanged = 0;
        let summary: MetricCsvSummary | null = null;
        let pending: Promise<Settled<MetricValueWriteCounts | MetricValueUpsertResult>> | null = null;
        const collect = async (): Promise<void> => {
          if (pending === null) return;
          const counts = unwrap(await pending);
          pending = null;
          inserted += counts.inserted;
          updated += counts.updated;
          unchanged += counts.unchanged;
          if ('corrections' in counts) {
            for (const correction of counts.corrections) if (corrections.length < MAX_AUDITED_CORRECTIONS) corrections.push(correction);
            for (const month of counts.touchedMonths) touchedMonths.add(month);
          }
        };

        for await (const batch of batches) {
          if (batch.summary) summary = batch.summary;
          for (const error of batch.errors) parserErrors.push(error);
          const columns: MetricValueColumns = emptyMetricValueColumns();
          for (const row of batch.rows) {
            const unit = units.get(row.metricKey)?.unit;
            const valueIssue = unit === undefined ? null : valueProblem(row.valueText, unit);
            const dateIssue = granularityProblem(row.date, granularity);
            if (valueIssue !== null) late.push({ line: row.line, metricKey: row.metricKey, on: 'value', code: 'INVALID_NUMBER', message: `Metric "${row.metricKey}": value ${valueIssue}` });
            if (dateIssue !== null) late.push({ line: row.line, metricKey: row.metricKey, on: 'date', code: 'INVALID_DATE', message: dateIssue });
            if (valueIssue !== null || dateIssue !== null) continue;
            columns.metricKeys.push(row.metricKey);
            columns.dates.push(row.date);
            columns.sources.push(row.source);
            columns.granularities.push(granularity);
            columns.values.push(row.valueText);
          }
          rows += columns.metricKeys.length;
          const failed = parserErrors.length > 0 || late.length > 0;
          // A commit stops writing at the first error (it will roll back); a dry run goes on
          // counting what the valid rows would change.
          if (columns.metricKeys.length === 0 || (failed && !options.dryRun)) continue;
          await collect();
          pending = settle(
            options.dryRun
              ? MetricValueRepository.preview(manager, target, columns)
              : MetricValueRepository.upsert(manager, target, columns, MAX_AUDITED_CORRECTIONS - corrections.length),
          );
        }
        await collect();

        const errorCount = (summary?.errorCount ?? parserErrors.length) + late.length;
        const errors = [...parserErrors, ...locateLateProblems(late, summary)].sort((a, b) => a.line - b.line || a.columnIndex - b.columnIndex);
        const shown = errors.slice(0, MAX_REPORTED_ERRORS);
        const report: MetricCsvImportReport = {
          importId: options.dryRun ? null : importId,
          status: options.dryRun ? 'DRY_RUN' : errorCount > 0 ? 'REJECTED' : 'COMMITTED',
          rows,
          inserted: errorCount > 0 && !options.dryRun ? 0 : inserted,
          updated: errorCount > 0 && !options.dryRun ? 0 : updated,
          unchanged: errorCount > 0 && !options.dryRun ? 0 : unchanged,
          errorCount,
          errorsTruncated: errorCount > shown.length,
          errors: shown,
          conventions: summary?.conventions ?? null,
        };
        if (options.dryRun) return report;
        if (errorCount > 0) throw new RejectedImport(report);
        await MetricValueRepository.refreshMonthly(manager, target, touchedMonths);
        await this.saveImport(manager, target, 'CSV', options.fileName ?? null, rows, { inserted, updated, unchanged }, corrections, []);
        return report;
      });
    } catch (error) {
      if (!(error instanceof RejectedImport)) throw error;
      rejected = error.report;
    }
    // The values were rolled back; the attempt itself is kept, with its errors, for the history.
    await this.db.run((manager) =>
      this.saveImport(
        manager,
        { agencyId: tenant.agencyId, clientId, importId, enteredBy: tenant.userId },
        'CSV',
        options.fileName ?? null,
        rejected.rows,
        { inserted: 0, updated: 0, unchanged: 0 },
        [],
        rejected.errors,
        rejected.errorCount,
      ),
    );
    return rejected;
  }

  async listImports(args: MetricImportsArgs): Promise<MetricImportConnection> {
    const tenant = currentTenant();
    return this.db.run(async (manager) => {
      const client = await this.clients.findVisible(manager, args.clientId);
      const query = manager
        .createQueryBuilder(MetricImportEntity, 'import')
        .where('import.agencyId = :agencyId AND import.clientId = :clientId', { agencyId: tenant.agencyId, clientId: client.id });
      const totalCount = await query.getCount();
      if (args.after) {
        const cursor = decodeCursor(args.after);
        query.andWhere('(import.createdAt, import.id) < (:createdAt, :id)', cursor);
      }
      const found = await query
        .orderBy('import.createdAt', 'DESC')
        .addOrderBy('import.id', 'DESC')
        .take(args.first + 1)
        .getMany();
      const edges = found.slice(0, args.first).map((entity) => ({
        cursor: encodeCursor({ createdAt: entity.createdAt.toISOString(), id: entity.id }),
        node: toMetricImportModel(entity),
      }));
      return { edges, pageInfo: { hasNextPage: found.length > args.first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
    });
  }

  /**
   * Metric keys accepted for the current agency, with their unit: the system catalog plus the
   * agency's custom metrics (whose keys never shadow a catalog key).
   */
  private async metricUnits(manager: EntityManager): Promise<ReadonlyMap<string, { readonly unit: MetricUnit }>> {
    const custom = await manager.find(CustomMetricEntity, { where: { agencyId: currentTenant().agencyId }, select: { key: true, unit: true } });
    if (custom.length === 0) return CATALOG_UNITS;
    const units = new Map(CATALOG_UNITS);
    for (const metric of custom) {
      if (isMetricUnit(metric.unit) && !units.has(metric.key)) units.set(metric.key, { unit: metric.unit });
    }
    return units;
  }

  /** Records the batch and, for a committed one, a single audit entry with its corrections. */
  private async saveImport(
    manager: EntityManager,
    target: MetricValueBatchTarget,
    kind: MetricImportKind,
    fileName: string | null,
    rows: number,
    counts: MetricValueWriteCounts,
    corrections: readonly MetricValueCorrection[],
    errors: readonly MetricImportProblemRow[],
    errorCount = errors.length,
  ): Promise<void> {
    const summary: MetricImportErrorSummary = {
      count: errorCount,
      truncated: errorCount > Math.min(errors.length, MAX_STORED_ERRORS),
      first: errors.slice(0, MAX_STORED_ERRORS).map(({ line, column, code, message }) => ({ line, column, code, message })),
    };
    await manager.insert(MetricImportEntity, {
      agencyId: target.agencyId,
      id: target.importId,
      clientId: target.clientId,
      kind,
      fileName,
      status: errorCount > 0 ? 'REJECTED' : 'COMMITTED',
      rows,
      inserted: counts.inserted,
      updated: counts.updated,
      unchanged: counts.unchanged,
      errors: summary,
      createdBy: target.enteredBy,
    });
    if (errorCount > 0) return;
    await recordAudit(manager, {
      action: 'metric_values.imported',
      entityType: 'metric_import',
      entityId: target.importId,
      data: {
        clientId: target.clientId,
        kind,
        inserted: counts.inserted,
        updated: counts.updated,
        unchanged: counts.unchanged,
        corrections,
        correctionsTruncated: counts.updated > corrections.length,
      },
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
    createdAt: entity.createdAt,
  };
}
