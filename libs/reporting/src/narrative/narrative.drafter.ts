import { reportLabels } from '../i18n/report-labels';
import type { ReportSnapshot } from '../snapshot/report-snapshot';
import { draftReportStory, type ReportStory } from './report-story';

/**
 * Drafts the executive summary as editable paragraphs, one per point, each opened by its kind
 * ("Point d’attention : …", "Next step: …"), in the client's language. A draft for the project
 * manager to edit (stored as `snapshot.narrative`, which then replaces the draft in the PDF),
 * never a replacement for their analysis.
 */
export function draftNarrative(snapshot: ReportSnapshot, story: ReportStory = draftReportStory(snapshot)): string[] {
  const labels = reportLabels(snapshot.client.locale, snapshot.period.kind);
  const separator = snapshot.client.locale === 'fr' ? '\u00a0: ' : ': ';
  return story.points.map((point) => `${labels.storyPoint[point.kind]}${separator}${point.text}`);
}
