import { formatShortDay, numberLocale, type NumberFormatContext } from '../format/kpi-value.formatter';
import { PLATFORM_NAMES, type ReportLabels } from '../i18n/report-labels';
import type { ReportKpi } from '../snapshot/report-snapshot';

/**
 * The notes under the scorecard for KPIs that stand on a connection that stopped syncing: one per
 * connection, however many KPIs it feeds, in the order of the KPIs given, in the report's
 * language ("Données incomplètes : la connexion Google Ads « Compte X » ne se synchronise plus
 * depuis le 2 déc. 2026 (réautorisation nécessaire)."). Empty when every KPI is fresh.
 */
export function staleNotes(kpis: readonly Pick<ReportKpi, 'staleSources'>[], labels: ReportLabels, context: NumberFormatContext): string[] {
  const notes = new Map<string, string>();
  for (const source of kpis.flatMap((kpi) => kpi.staleSources ?? [])) {
    const key = `${source.provider}|${source.accountName}`;
    if (notes.has(key)) continue;
    const since = source.dataThrough === null ? null : formatShortDay(source.dataThrough, numberLocale(context));
    notes.set(key, labels.staleNote(PLATFORM_NAMES[source.provider] ?? source.provider, source.accountName, since, source.status));
  }
  return [...notes.values()];
}
