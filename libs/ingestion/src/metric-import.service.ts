import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainEvents } from '@pilotage/events';
import { BadUserInputError, NotFoundError, settle, unwrap, type Settled } from '@pilotage/common';
import {
  currentTenant,
  emptyMetricValueColumns,
  findColumnMapping,
  CustomMetricEntity,
  findWritableClient,
  insertMetricImport,
  loadSourceChannels,
  previewMetricValues,
  recordAudit,
  refreshMetricMonthly,
  TenantDatabase,
  upsertMetricValues,
  type MetricGranularity,
  type MetricImportErrorSummary,
  type MetricImportKind,
  type MetricValueBatchTarget,
  type MetricValueColumns,
  type MetricValueCorrection,
  type MetricValueUpsertResult,
  type MetricValueWriteCounts,
} from '@pilotage/database';
import { localDate, METRIC_CATALOG, METRIC_UNITS, type Channel, type MetricUnit } from '@pilotage/kpi';
import { appendMetricValue, SourceChannelResolver } from './metric-channel.rules';
import { columnMappingFromStored, mappingPreset } from './exports/column-mapping';
import { parseExportFile } from './exports/export-file.parser';
import type { ExportPreset, ExportPresetId, ExportReport } from './exports/export-preset.types';
import { EXPORT_PRESETS, findExportPreset } from './exports/export-presets';
import { routeUpload } from './exports/export-routing';
import { parseMetricCsv } from './metric-csv.parser';
import type { MetricCsvConventions, MetricCsvError, MetricCsvOptions, MetricCsvSummary } from './metric-csv.types';
import { DEFAULT_METRIC_SOURCE } from './metric-value.rules';
import { checkMetricValues, type MetricValueCandidate } from './metric-value.validator';

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

/** The values of one recordMetricValues call, for one client. */
export interface MetricValuesRequest {
  readonly clientId: string;
  readonly values: readonly MetricValueCandidate[];
}

/** What a recordMetricValues call wrote. */
export interface MetricValuesRecord {
  readonly importId: string;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

export interface MetricCsvImportOptions extends Pick<MetricCsvOptions, 'delimiter' | 'decimal' | 'dateFormat' | 'format'> {
  readonly dryRun: boolean;
  readonly source?: string;
  /** Channel of the rows without a channel cell (a WIDE file, a file of one channel); absent: their source's. */
  readonly channel?: Channel;
  /** Campaign of the rows without a campaign cell. */
  readonly campaign?: string;
  readonly granularity?: MetricGranularity;
  readonly fileName?: string;
  /** Read the file as this platform export (`?preset=GOOGLE_ADS`) instead of detecting it. */
  readonly preset?: ExportPresetId;
  /** Read the file with this saved column mapping of the client (`?mapping=<id>`). */
  readonly mappingId?: string;
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
  /** Every problem located by line and column, in file order. */
  readonly errors: readonly MetricCsvError[];
  readonly conventions: MetricCsvConventions | null;
  /** For a platform export or a saved mapping: what was recognised, mapped, ignored and skipped. */
  readonly export?: ExportReport;
}

/** A problem as the import history keeps it. */
type StoredProblem = MetricImportErrorSummary['first'][number];

/** Thrown inside the import transaction to roll it back while keeping the report. */
class RejectedImport extends Error {
  constructor(readonly report: MetricCsvImportReport) {
    super('metric import rejected');
  }
}

const CATALOG_UNITS: ReadonlyMap<string, { readonly unit: MetricUnit }> = new Map(METRIC_CATALOG.map((metric) => [metric.key, { unit: metric.unit }]));

function isMetricUnit(value: string): value is MetricUnit {
  return METRIC_UNITS.some((unit) => unit === value);
}

/**
 * Writes metric values (API calls and CSV files) and keeps the history of imports. Every
 * import is one tenant transaction: all of its values land, or none. Re-sending a value
 * replaces it (natural key), so a file imported twice never doubles the figures. Runs in the
 * caller's tenant context (`runWithTenant`), from the API, a job or a benchmark alike.
 */
@Injectable()
export class MetricImportService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly events: DomainEvents,
  ) {}

  /** Records the values of one call, all or none; every invalid value is reported at once, by index and field. */
  async record(request: MetricValuesRequest): Promise<MetricValuesRecord> {
    const tenant = currentTenant();
    return this.db.run(async (manager) => {
      const client = await findWritableClient(manager, request.clientId);
      const units = await this.metricUnits(manager);
      const sourceChannels = new SourceChannelResolver(await loadSourceChannels(manager, { agencyId: tenant.agencyId, clientId: client.id }));
      const { columns, problems } = checkMetricValues(request.values, { units, today: localDate(new Date(), client.timeZone), sourceChannels });
      if (problems.length > 0) {
        const shown = problems.slice(0, 20).map((problem) => `${problem.field}: ${problem.message}`);
        const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
        throw new BadUserInputError(`${problems.length} invalid value(s), nothing written — ${shown.join('; ')}${more}`, problems);
      }
      const importId = randomUUID();
      const target: MetricValueBatchTarget = { agencyId: tenant.agencyId, clientId: client.id, importId, enteredBy: tenant.userId };
      const result = await upsertMetricValues(manager, target, columns, MAX_AUDITED_CORRECTIONS);
      await refreshMetricMonthly(manager, target, result.touchedMonths);
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
  async importCsv(clientId: string, upload: Readable, options: MetricCsvImportOptions): Promise<MetricCsvImportReport> {
    const routed = await routeUpload(upload, this.wantsExport(options));
    if (routed.kind === 'EXPORT') return this.importExport(clientId, routed.bytes, options);
    const body = routed.body;
    const tenant = currentTenant();
    const importId = randomUUID();
    let rejected: MetricCsvImportReport;
    try {
      return await this.db.run(async (manager) => {
        const client = await findWritableClient(manager, clientId);
        const units = await this.metricUnits(manager);
        const target: MetricValueBatchTarget = { agencyId: tenant.agencyId, clientId: client.id, importId, enteredBy: tenant.userId };
        const granularity = options.granularity ?? 'DAY';
        const sourceChannels = new SourceChannelResolver(await loadSourceChannels(manager, target));
        const batches = parseMetricCsv(body, {
          context: {
            knownMetrics: units,
            today: localDate(new Date(), client.timeZone),
            defaultSource: options.source?.trim() || DEFAULT_METRIC_SOURCE,
            granularity,
            channel: options.channel ?? null,
            campaign: options.campaign,
            channelOfSource: (source) => sourceChannels.channelOf(source),
          },
          delimiter: options.delimiter,
          decimal: options.decimal,
          dateFormat: options.dateFormat,
          format: options.format,
          batchSize: IMPORT_BATCH_SIZE,
          maxErrors: MAX_REPORTED_ERRORS,
        });

        const errors: MetricCsvError[] = [];
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
          for (const error of batch.errors) errors.push(error);
          const columns: MetricValueColumns = emptyMetricValueColumns();
          for (const row of batch.rows) {
            appendMetricValue(
              columns,
              {
                metricKey: row.metricKey,
                date: row.date,
                granularity,
                valueText: row.valueText,
                source: row.source,
                channel: row.channel,
                campaign: row.campaign,
              },
              sourceChannels,
            );
          }
          rows += columns.metricKeys.length;
          // A commit stops writing at the first error (it will roll back); a dry run goes on
          // counting what the valid rows would change.
          if (columns.metricKeys.length === 0 || (errors.length > 0 && !options.dryRun)) continue;
          await collect();
          pending = settle(
            options.dryRun
              ? previewMetricValues(manager, target, columns)
              : upsertMetricValues(manager, target, columns, MAX_AUDITED_CORRECTIONS - corrections.length),
          );
        }
        await collect();

        const errorCount = summary?.errorCount ?? errors.length;
        // Errors of one record come cell by cell; the report reads left to right on each line.
        const shown = errors.sort((a, b) => a.line - b.line || a.columnIndex - b.columnIndex).slice(0, MAX_REPORTED_ERRORS);
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
        await refreshMetricMonthly(manager, target, touchedMonths);
        await this.saveImport(manager, target, 'CSV', options.fileName ?? null, rows, { inserted, updated, unchanged }, corrections, []);
        return report;
      });
    } catch (error) {
      if (!(error instanceof RejectedImport)) throw error;
      rejected = error.report;
    }
    return this.saveRejected({ agencyId: tenant.agencyId, clientId, importId, enteredBy: tenant.userId }, options.fileName ?? null, rejected);
  }

  /**
   * Whether the upload must be read as a platform export (a preset or mapping was asked for),
   * must not be (conventions of our own layout were declared), or may be (null: detected).
   */
  private wantsExport(options: MetricCsvImportOptions): boolean | null {
    const ownLayout = options.delimiter !== undefined || options.decimal !== undefined || options.dateFormat !== undefined || options.format !== undefined;
    const exportAsked = options.preset !== undefined || options.mappingId !== undefined;
    if (ownLayout && exportAsked) {
      throw new BadUserInputError(
        'preset and mapping read a platform export: delimiter, decimal, dateFormat and format describe our own layout and cannot be combined with them',
      );
    }
    if (exportAsked && options.preset !== undefined && options.mappingId !== undefined) throw new BadUserInputError('Give a preset or a mapping, not both');
    if (exportAsked && (options.granularity ?? 'DAY') !== 'DAY') throw new BadUserInputError('Platform exports are read by day: granularity must be DAY');
    return exportAsked ? true : ownLayout ? false : null;
  }

  /**
   * Imports a platform export or a file read with a saved mapping: the values, summed to the day
   * per channel, campaign and source, go through the same upsert, roll-up, history and audit as
   * our own layout; a file with any error writes nothing and is kept in the history as rejected.
   */
  private async importExport(clientId: string, bytes: Buffer, options: MetricCsvImportOptions): Promise<MetricCsvImportReport> {
    const tenant = currentTenant();
    const importId = randomUUID();
    let rejected: MetricCsvImportReport;
    try {
      return await this.db.run(async (manager) => {
        const client = await findWritableClient(manager, clientId);
        const units = await this.metricUnits(manager);
        const presets = await this.exportPresets(manager, client.id, options);
        const result = await parseExportFile(bytes, {
          knownMetrics: units,
          today: localDate(new Date(), client.timeZone),
          timeZone: client.timeZone,
          presets,
          forced: presets !== EXPORT_PRESETS,
          maxErrors: MAX_REPORTED_ERRORS,
        });
        const target: MetricValueBatchTarget = { agencyId: tenant.agencyId, clientId: client.id, importId, enteredBy: tenant.userId };
        const source = options.source?.trim();
        const batches: MetricValueColumns[] = [];
        for (let at = 0; at < result.rows.length; at += IMPORT_BATCH_SIZE) {
          const columns = emptyMetricValueColumns();
          for (const row of result.rows.slice(at, at + IMPORT_BATCH_SIZE)) {
            columns.metricKeys.push(row.metricKey);
            columns.dates.push(row.date);
            // `?source=` names the account when the export does not ("Google Ads Client X").
            columns.sources.push(source === undefined || source === '' ? row.source : source);
            columns.channels.push(row.channel);
            columns.campaigns.push(row.campaign);
            columns.granularities.push('DAY');
            columns.values.push(row.valueText);
          }
          batches.push(columns);
        }
        const report = (counts: MetricValueWriteCounts, status: MetricCsvImportReport['status']): MetricCsvImportReport => ({
          importId: options.dryRun ? null : importId,
          status,
          rows: result.rows.length,
          ...counts,
          errorCount: result.errorCount,
          errorsTruncated: result.errorCount > result.errors.length,
          errors: result.errors,
          conventions: null,
          export: result.report,
        });
        const counts = { inserted: 0, updated: 0, unchanged: 0 };
        if (result.errorCount > 0 && !options.dryRun) throw new RejectedImport(report(counts, 'REJECTED'));
        const corrections: MetricValueCorrection[] = [];
        const touchedMonths = new Set<string>();
        for (const columns of batches) {
          if (options.dryRun) {
            const preview = await previewMetricValues(manager, target, columns);
            counts.inserted += preview.inserted;
            counts.updated += preview.updated;
            counts.unchanged += preview.unchanged;
            continue;
          }
          const written = await upsertMetricValues(manager, target, columns, MAX_AUDITED_CORRECTIONS - corrections.length);
          counts.inserted += written.inserted;
          counts.updated += written.updated;
          counts.unchanged += written.unchanged;
          corrections.push(...written.corrections);
          for (const month of written.touchedMonths) touchedMonths.add(month);
        }
        if (options.dryRun) return report(counts, 'DRY_RUN');
        await refreshMetricMonthly(manager, target, touchedMonths);
        await this.saveImport(manager, target, 'CSV', options.fileName ?? null, result.rows.length, counts, corrections, []);
        return report(counts, 'COMMITTED');
      });
    } catch (error) {
      if (!(error instanceof RejectedImport)) throw error;
      rejected = error.report;
    }
    return this.saveRejected({ agencyId: tenant.agencyId, clientId, importId, enteredBy: tenant.userId }, options.fileName ?? null, rejected);
  }

  /** The values were rolled back; the attempt itself is kept, with its errors, for the history. */
  private async saveRejected(target: MetricValueBatchTarget, fileName: string | null, rejected: MetricCsvImportReport): Promise<MetricCsvImportReport> {
    await this.db.run((manager) =>
      this.saveImport(manager, target, 'CSV', fileName, rejected.rows, { inserted: 0, updated: 0, unchanged: 0 }, [], rejected.errors, rejected.errorCount),
    );
    return rejected;
  }

  /** The presets to read the file with: the one asked for, the client's saved mapping, or all of them. */
  private async exportPresets(manager: EntityManager, clientId: string, options: MetricCsvImportOptions): Promise<readonly ExportPreset[]> {
    if (options.preset !== undefined) {
      const preset = findExportPreset(options.preset);
      if (preset === undefined) throw new BadUserInputError(`Unknown preset "${options.preset}"`);
      return [preset];
    }
    if (options.mappingId === undefined) return EXPORT_PRESETS;
    const entity = await findColumnMapping(manager, clientId, options.mappingId);
    if (entity === null) throw new NotFoundError('ColumnMapping', options.mappingId);
    const mapping = columnMappingFromStored(entity.name, entity.definition);
    if (mapping === null) throw new BadUserInputError(`The column mapping "${entity.name}" is no longer valid: save it again`);
    return [mappingPreset(mapping)];
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
    errors: readonly StoredProblem[],
    errorCount = errors.length,
  ): Promise<void> {
    const summary: MetricImportErrorSummary = {
      count: errorCount,
      truncated: errorCount > Math.min(errors.length, MAX_STORED_ERRORS),
      first: errors.slice(0, MAX_STORED_ERRORS).map(({ line, column, code, message }) => ({ line, column, code, message })),
    };
    await insertMetricImport(manager, target, {
      kind,
      fileName,
      status: errorCount > 0 ? 'REJECTED' : 'COMMITTED',
      rows,
      inserted: counts.inserted,
      updated: counts.updated,
      unchanged: counts.unchanged,
      errors: summary,
    });
    if (errorCount > 0) return;
    // In the import's transaction: `import.completed` and the debounced evaluation exist if and only if it committed.
    await this.events.metricsImported(manager, target.agencyId, { clientId: target.clientId, importId: target.importId, kind, ...counts });
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
