/** What a KPI's row needs for a note under the scorecard. */
export interface NotedKpi {
  readonly key: string;
  readonly name: string;
  /** Data caveat of the period (missing days, months without data), or null when there is none. */
  readonly coverageNote: string | null;
}

export interface ScorecardNotesView {
  /** Marker printed after a KPI's name in the scorecard, by KPI key; absent for a KPI without a note. */
  readonly markers: Readonly<Record<string, string>>;
  /** The notes under the table, in the scorecard's order. */
  readonly items: readonly { readonly marker: string; readonly name: string; readonly note: string }[];
}

/**
 * Data coverage as numbered notes under the scorecard rather than a page of its own: a caveat
 * is read beside the figure it qualifies, and a complete KPI takes no room at all.
 */
export function scorecardNotes(kpis: readonly NotedKpi[]): ScorecardNotesView {
  const markers: Record<string, string> = {};
  const items: { marker: string; name: string; note: string }[] = [];
  for (const kpi of kpis) {
    if (kpi.coverageNote === null || kpi.coverageNote.trim() === '') continue;
    const marker = String(items.length + 1);
    markers[kpi.key] = marker;
    items.push({ marker, name: kpi.name, note: kpi.coverageNote });
  }
  return { markers, items };
}
