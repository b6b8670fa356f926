import { formatKpiChange, formatKpiValue, numberLocale, type NumberFormatContext } from '../format/kpi-value.formatter';
import { typographicApostrophes } from '../format/typography';
import type { ReportLabels } from '../i18n/report-labels';
import type { ReportStory, SummaryPointKind } from '../narrative/report-story';
import type { KpiStatus, ReportSnapshot } from '../snapshot/report-snapshot';

import { changeTone, STATUS_TONES, type Tone as StoryTone } from './kpi-tones';

export type { StoryTone };

/** The cover's and the summary's content, formatted: the cover leads, the summary tells. */
export interface ReportStoryView {
  readonly headlines: readonly {
    readonly objectiveName: string;
    readonly kpiName: string;
    readonly value: string;
    readonly changes: readonly { readonly text: string; readonly tone: StoryTone; readonly label: string }[];
    readonly status: { readonly code: KpiStatus; readonly tone: string; readonly label: string };
  }[];
  readonly takeaway: string;
  /** Drafted points, or the project manager's edited paragraphs (then `label` is null). */
  readonly points: readonly { readonly kind: SummaryPointKind | null; readonly label: string | null; readonly tone: string; readonly text: string }[];
  /** True when the points are the project manager's edited text rather than the draft. */
  readonly edited: boolean;
}

const POINT_TONES: Record<SummaryPointKind, string> = { WIN: 'good', CONCERN: 'bad', CAUSE: 'neutral', ACTION: 'action', OVERVIEW: 'neutral' };

/**
 * `edited` paragraphs (options.narrative, else a non-empty snapshot.narrative) win over the
 * draft: the project manager's word is final.
 */
export function buildReportStoryView(
  snapshot: ReportSnapshot,
  labels: ReportLabels,
  context: NumberFormatContext,
  story: ReportStory,
  edited: readonly string[] | null,
): ReportStoryView {
  const locale = numberLocale(context);
  const vsPrevious = snapshot.period.kind === 'MONTHLY' ? labels.vsPreviousMonth : labels.vsPreviousWeek;
  return {
    headlines: story.headlines.map(({ objectiveName, kpi }) => ({
      objectiveName: typographicApostrophes(objectiveName),
      kpiName: typographicApostrophes(kpi.name),
      value: formatKpiValue(kpi.value, kpi.unit, context),
      changes: [
        { change: kpi.mom.change, label: vsPrevious },
        { change: kpi.yoy.change, label: labels.vsLastYear },
      ]
        .filter((side) => side.change !== null)
        .map((side) => ({ text: formatKpiChange(side.change, locale), tone: changeTone(kpi, side.change), label: side.label })),
      status: { code: kpi.status, tone: STATUS_TONES[kpi.status], label: labels.status[kpi.status] },
    })),
    takeaway: story.takeaway,
    points:
      edited === null
        ? story.points.map((point) => ({ kind: point.kind, label: labels.storyPoint[point.kind], tone: POINT_TONES[point.kind], text: point.text }))
        : edited.map((paragraph) => ({ kind: null, label: null, tone: 'neutral', text: typographicApostrophes(paragraph) })),
    edited: edited !== null,
  };
}
