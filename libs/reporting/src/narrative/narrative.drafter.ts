import type { Locale } from '@pilotage/kpi';
import {
  capitalizeFirst,
  formatKpiChange,
  formatKpiChangeMagnitude,
  formatKpiValue,
  formatMonthName,
  formatPercent,
  formatPeriodLabel,
  type NumberFormatContext,
} from '../format/kpi-value.formatter';
import type { KpiChange, ReportKpi, ReportSnapshot } from '../snapshot/report-snapshot';

type Trend = 'UP' | 'DOWN' | 'FLAT';

/** Below these, a change reads as "stable": 0.05 pt or 0.05 % is rounding noise. */
const FLAT_POINTS = 0.05;
const FLAT_PERCENT = 0.0005;

function trendOf(change: KpiChange): Trend {
  if (change.kind === 'POINTS') {
    const points = change.points ?? change.absolute * 100;
    return Math.abs(points) < FLAT_POINTS ? 'FLAT' : points > 0 ? 'UP' : 'DOWN';
  }
  if (change.percent === null) return change.absolute === 0 ? 'FLAT' : change.absolute > 0 ? 'UP' : 'DOWN';
  return Math.abs(change.percent) < FLAT_PERCENT ? 'FLAT' : change.percent > 0 ? 'UP' : 'DOWN';
}

/** A rise is good news only when higher is better: a falling cost per lead is progress. */
function isFavourable(kpi: ReportKpi, trend: Trend): boolean {
  if (trend === 'FLAT') return false;
  return (trend === 'UP') === (kpi.direction === 'HIGHER_IS_BETTER');
}

interface Verbs {
  readonly singular: string;
  readonly plural: string;
}

/**
 * Verbs by language, unit kind and meaning. "gagne 0,4 pt" for a favourable rise of a rate,
 * "augmente de 1,4 pt" for an unfavourable one (an abandonment rate that rises gains nothing).
 */
function changeVerb(locale: Locale, change: KpiChange, trend: Trend, favourable: boolean): Verbs {
  const points = change.kind === 'POINTS';
  if (locale === 'fr') {
    if (trend === 'FLAT') return { singular: 'est stable', plural: 'sont stables' };
    if (trend === 'UP') {
      if (favourable) return points ? { singular: 'gagne', plural: 'gagnent' } : { singular: 'progresse de', plural: 'progressent de' };
      return { singular: 'augmente de', plural: 'augmentent de' };
    }
    if (favourable) return { singular: 'baisse de', plural: 'baissent de' };
    return points ? { singular: 'perd', plural: 'perdent' } : { singular: 'recule de', plural: 'reculent de' };
  }
  if (trend === 'FLAT') return { singular: 'is stable', plural: 'are stable' };
  if (trend === 'UP') {
    if (favourable) return points ? { singular: 'gains', plural: 'gain' } : { singular: 'grows by', plural: 'grow by' };
    return { singular: 'rises by', plural: 'rise by' };
  }
  if (favourable) return { singular: 'falls by', plural: 'fall by' };
  return points ? { singular: 'loses', plural: 'lose' } : { singular: 'declines by', plural: 'decline by' };
}

interface TargetClause {
  readonly text: string;
  readonly favourable: boolean;
}

function targetClause(kpi: ReportKpi, locale: Locale, plural: boolean, context: NumberFormatContext): TargetClause | null {
  if (kpi.target === null || kpi.value === null) return null;
  const fr = locale === 'fr';
  const pick = (singular: string, pluralForm: string): string => (plural ? pluralForm : singular);
  const higher = kpi.direction === 'HIGHER_IS_BETTER';
  if (kpi.status === 'ON_TRACK') {
    if (!higher)
      return {
        text: fr ? pick("reste sous l'objectif", "restent sous l'objectif") : pick('stays below the target', 'stay below the target'),
        favourable: true,
      };
    const beats = (kpi.attainment ?? 1) >= 1.005;
    if (fr) return { text: beats ? pick("dépasse l'objectif", "dépassent l'objectif") : pick("atteint l'objectif", "atteignent l'objectif"), favourable: true };
    return { text: beats ? pick('beats the target', 'beat the target') : pick('meets the target', 'meet the target'), favourable: true };
  }
  if (kpi.status !== 'AT_RISK' && kpi.status !== 'OFF_TRACK') return null;
  if (!higher) {
    const target = formatKpiValue(kpi.target, kpi.unit, context);
    return {
      text: fr
        ? `${pick("reste au-dessus de l'objectif", "restent au-dessus de l'objectif")} (${target})`
        : `${pick('stays above the', 'stay above the')} ${target} target`,
      favourable: false,
    };
  }
  const share = formatPercent(kpi.attainment, locale);
  if (kpi.status === 'AT_RISK') {
    return { text: fr ? `${pick('atteint', 'atteignent')} ${share} de l'objectif` : `${pick('reaches', 'reach')} ${share} of the target`, favourable: false };
  }
  return {
    text: fr ? `${pick("n'atteint que", "n'atteignent que")} ${share} de l'objectif` : `${pick('reaches only', 'reach only')} ${share} of the target`,
    favourable: false,
  };
}

/** "sur septembre" / "on September" / "sur la semaine précédente". */
function comparisonPhrase(snapshot: ReportSnapshot, kpi: ReportKpi): string {
  const locale = snapshot.client.locale;
  if (snapshot.period.kind === 'WEEKLY') return locale === 'fr' ? 'sur la semaine précédente' : 'on the previous week';
  const previous = kpi.series.length >= 2 ? kpi.series[kpi.series.length - 2]?.period : undefined;
  const month = previous ?? previousMonth(snapshot.period.start);
  return `${locale === 'fr' ? 'sur' : 'on'} ${formatMonthName(month, locale)}`;
}

function previousMonth(isoDay: string): string {
  const year = Number(isoDay.slice(0, 4));
  const month = Number(isoDay.slice(5, 7));
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

interface KpiSentence {
  readonly text: string;
  readonly favourable: boolean;
}

/**
 * `withComparison` false drops "sur septembre": said once per paragraph, it would otherwise
 * repeat in every sentence.
 */
function kpiSentence(snapshot: ReportSnapshot, kpi: ReportKpi, withComparison: boolean): KpiSentence | null {
  const locale = snapshot.client.locale;
  const context: NumberFormatContext = { locale, currency: snapshot.client.currency };
  if (kpi.value === null) return null;
  const change = kpi.mom.change;
  const subject = kpi.subject ?? null;
  const plural = subject?.plural ?? false;
  const clause = targetClause(kpi, locale, plural, context);
  const trend = change === null ? null : trendOf(change);
  const changeFavourable = change !== null && trend !== null && isFavourable(kpi, trend);
  const favourable = clause?.favourable ?? changeFavourable;

  if (subject === null) {
    // No grammar for this KPI (agency-defined, no article known): a form that needs none.
    const parts = [change === null ? formatKpiValue(kpi.value, kpi.unit, context) : `${formatKpiChange(change, locale)} ${comparisonPhrase(snapshot, kpi)}`];
    if (clause !== null) parts.push(shortTargetClause(kpi, locale));
    return { text: `${kpi.name}${locale === 'fr' ? '\u00a0:' : ':'} ${parts.join(', ')}.`, favourable };
  }

  const head = capitalizeFirst(subject.text, locale);
  if (change === null || trend === null) {
    if (clause === null) return null;
    return { text: `${head} ${clause.text}.`, favourable };
  }
  const verbs = changeVerb(locale, change, trend, changeFavourable);
  const verb = plural ? verbs.plural : verbs.singular;
  const comparison = withComparison ? ` ${comparisonPhrase(snapshot, kpi)}` : '';
  const movement = trend === 'FLAT' ? `${verb}${comparison}` : `${verb} ${formatKpiChangeMagnitude(change, locale)}${comparison}`;
  if (clause === null) return { text: `${head} ${movement}.`, favourable };
  const conjunction = trend !== 'FLAT' && changeFavourable !== clause.favourable ? (locale === 'fr' ? 'mais' : 'but') : locale === 'fr' ? 'et' : 'and';
  return { text: `${head} ${movement} ${conjunction} ${clause.text}.`, favourable };
}

function shortTargetClause(kpi: ReportKpi, locale: Locale): string {
  const fr = locale === 'fr';
  if (kpi.status === 'ON_TRACK') {
    if (kpi.direction === 'LOWER_IS_BETTER') return fr ? "sous l'objectif" : 'below target';
    return fr ? "au-dessus de l'objectif" : 'above target';
  }
  const share = formatPercent(kpi.attainment, locale);
  return fr ? `${share} de l'objectif` : `${share} of target`;
}

function overview(snapshot: ReportSnapshot): string {
  const locale = snapshot.client.locale;
  const fr = locale === 'fr';
  const withTarget = snapshot.kpis.filter((kpi) => kpi.status === 'ON_TRACK' || kpi.status === 'AT_RISK' || kpi.status === 'OFF_TRACK');
  const count = (status: ReportKpi['status']): number => withTarget.filter((kpi) => kpi.status === status).length;
  const onTrack = count('ON_TRACK');
  const atRisk = count('AT_RISK');
  const offTrack = count('OFF_TRACK');
  const label = formatPeriodLabel(snapshot.period, locale);
  const opening = snapshot.period.kind === 'MONTHLY' ? (fr ? `En ${label}` : `In ${label}`) : fr ? `Sur la ${label}` : `In the ${label}`;
  if (withTarget.length === 0) {
    return fr ? `${opening}, aucun indicateur n'a à la fois une valeur et un objectif.` : `${opening}, no KPI has both a value and a target.`;
  }
  if (fr) {
    const rest: string[] = [];
    if (atRisk > 0) rest.push(`${atRisk} ${atRisk > 1 ? 'sont' : 'est'} à surveiller`);
    if (offTrack > 0) rest.push(`${offTrack} ${offTrack > 1 ? 'sont' : 'est'} en retard`);
    const head = `${opening}, ${onTrack} indicateur${onTrack > 1 ? 's' : ''} sur ${withTarget.length} ${onTrack > 1 ? 'atteignent' : 'atteint'} ${onTrack > 1 ? 'leur' : 'son'} objectif`;
    return rest.length === 0 ? `${head}.` : `${head}\u00a0; ${rest.join(' et ')}.`;
  }
  const rest: string[] = [];
  if (atRisk > 0) rest.push(`${atRisk} ${atRisk > 1 ? 'are' : 'is'} at risk`);
  if (offTrack > 0) rest.push(`${offTrack} ${offTrack > 1 ? 'are' : 'is'} off track`);
  const head = `${opening}, ${onTrack} of ${withTarget.length} KPIs ${onTrack === 1 ? 'reaches its' : 'reach their'} target`;
  return rest.length === 0 ? `${head}.` : `${head}; ${rest.join(' and ')}.`;
}

function dataGaps(snapshot: ReportSnapshot): string | null {
  const locale = snapshot.client.locale;
  const fr = locale === 'fr';
  const sentences: string[] = [];
  // A missing day usually misses for every KPI (a connector that did not run): one sentence
  // per gap, naming its KPIs, rather than the same sentence once per KPI.
  const partial = new Map<string, ReportKpi[]>();
  for (const kpi of snapshot.kpis) {
    if (kpi.value === null) {
      const who = kpi.subject?.text ?? (fr ? `l'indicateur «\u00a0${kpi.name}\u00a0»` : `the “${kpi.name}” KPI`);
      sentences.push(fr ? `Aucune donnée n'a été reçue pour ${who} sur la période.` : `No data was received for ${who} over the period.`);
    } else if (kpi.daysWithData < kpi.daysInPeriod) {
      const gap = `${kpi.daysWithData}/${kpi.daysInPeriod}`;
      partial.set(gap, [...(partial.get(gap) ?? []), kpi]);
    }
  }
  for (const kpis of partial.values()) {
    const [first] = kpis;
    if (first === undefined) continue;
    const days = fr ? `données sur ${first.daysWithData} jours sur ${first.daysInPeriod}` : `data on ${first.daysWithData} of ${first.daysInPeriod} days`;
    if (kpis.length === 1) {
      sentences.push(fr ? `${first.name}\u00a0: ${days}, valeur à lire avec prudence.` : `${first.name}: ${days}, read the value with caution.`);
      continue;
    }
    const names = kpis.map((kpi) => kpi.name);
    const list = `${names.slice(0, -1).join(', ')} ${fr ? 'et' : 'and'} ${names[names.length - 1]}`;
    sentences.push(
      fr
        ? `${capitalizeFirst(days, locale)} pour ${list}\u00a0: valeurs à lire avec prudence.`
        : `${capitalizeFirst(days, locale)} for ${list}: read the values with caution.`,
    );
  }
  return sentences.length === 0 ? null : sentences.join(' ');
}

/**
 * Drafts the narrative from the numbers, in the client's language: an overview, the good
 * news, the points to watch, the data gaps. A draft for the project manager to edit, never
 * a replacement for their analysis.
 */
export function draftNarrative(snapshot: ReportSnapshot): string[] {
  const favourable: string[] = [];
  const unfavourable: string[] = [];
  for (const kpi of snapshot.kpis) {
    const full = kpiSentence(snapshot, kpi, true);
    if (full === null) continue;
    const paragraph = full.favourable ? favourable : unfavourable;
    const sentence = paragraph.length === 0 ? full : kpiSentence(snapshot, kpi, false);
    if (sentence !== null) paragraph.push(sentence.text);
  }
  const paragraphs = [overview(snapshot), favourable.join(' '), unfavourable.join(' '), dataGaps(snapshot) ?? ''];
  return paragraphs.filter((paragraph) => paragraph !== '');
}
