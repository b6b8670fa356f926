import { FUNNEL_STAGES, type FunnelStage, type Locale } from '@pilotage/kpi';
import {
  capitalizeFirst,
  formatAttainment,
  formatKpiChangeMagnitude,
  formatKpiValue,
  formatMonthName,
  numberLocale,
  type FormatLocale,
  type NumberFormatContext,
} from '../format/kpi-value.formatter';
import { typographicApostrophes } from '../format/typography';
import type { KpiChange, ReportKpi, ReportSnapshot } from '../snapshot/report-snapshot';

/**
 * The month's story, drafted from the numbers: the vital objectives' headline KPIs for the
 * cover, a one-line takeaway, and an executive summary of 3 to 5 points ranked by importance
 * (wins, concerns, the likely cause, the next step). The summary tells in words; the scorecard
 * shows the table. A draft: the project manager's edits (snapshot.narrative) replace the points.
 */
export interface ReportStory {
  /** One KPI per vital objective (the plan's first two objectives), see `headlineKpi`. */
  readonly headlines: readonly StoryHeadline[];
  readonly takeaway: string;
  readonly points: readonly SummaryPoint[];
}

export interface StoryHeadline {
  readonly objectiveName: string;
  readonly kpi: ReportKpi;
  /** The change the story reads: year on year when known (no seasonality in it), else vs the previous period. */
  readonly comparison: 'YOY' | 'MOM' | null;
}

export type SummaryPointKind = 'WIN' | 'CONCERN' | 'CAUSE' | 'ACTION' | 'OVERVIEW';

export interface SummaryPoint {
  readonly kind: SummaryPointKind;
  readonly text: string;
  readonly kpiKey: string | null;
}

/** The plan's objectives are its 1–2 vital objectives (the seeds' "one or two objectives that matter"). */
const VITAL_OBJECTIVES = 2;
const MAX_POINTS = 5;
const MIN_POINTS = 3;
/** A relative change under 2 % reads as "stable" when explaining a move: noise in a month's data. */
const STEADY = 0.02;

/**
 * Headline KPI of an objective (higher-is-better KPIs with a value): its money KPI of the REVENUE
 * stage with the largest value (the total, revenue or MRR, rather than an amount per order or
 * per customer, which is always smaller), else its first REVENUE KPI, else its first CONVERSION
 * KPI, else its first KPI with a value. Money and conversions are what an objective is judged on.
 */
export function headlineKpi(kpis: readonly ReportKpi[]): ReportKpi | null {
  const withValue = kpis.filter((kpi) => kpi.value !== null);
  const growing = withValue.filter((kpi) => kpi.direction === 'HIGHER_IS_BETTER');
  const money = growing
    .filter((kpi) => kpi.stage === 'REVENUE' && kpi.unit === 'CURRENCY')
    .reduce<ReportKpi | null>((largest, kpi) => (largest === null || (kpi.value ?? 0) > (largest.value ?? 0) ? kpi : largest), null);
  return money ?? growing.find((kpi) => kpi.stage === 'REVENUE') ?? growing.find((kpi) => kpi.stage === 'CONVERSION') ?? withValue[0] ?? null;
}

function comparisonOf(snapshot: ReportSnapshot, kpi: ReportKpi): 'YOY' | 'MOM' | null {
  if (snapshot.period.kind === 'MONTHLY' && kpi.yoy.change !== null && kpi.yoy.value !== null) return 'YOY';
  if (kpi.mom.change !== null && kpi.mom.value !== null) return 'MOM';
  return null;
}

function changeOf(kpi: ReportKpi, comparison: 'YOY' | 'MOM' | null): { readonly change: KpiChange; readonly reference: number } | null {
  if (comparison === null) return null;
  const side = comparison === 'YOY' ? kpi.yoy : kpi.mom;
  return side.change === null || side.value === null ? null : { change: side.change, reference: side.value };
}

/** Relative change (value / reference − 1), signed so that positive is good news for this KPI. */
function favourableChange(kpi: ReportKpi, comparison: 'YOY' | 'MOM' | null): number | null {
  const side = changeOf(kpi, comparison);
  if (side === null || kpi.value === null || side.reference === 0) return null;
  const relative = kpi.value / side.reference - 1;
  return kpi.direction === 'HIGHER_IS_BETTER' ? relative : -relative;
}

interface Wording {
  readonly locale: FormatLocale;
  readonly language: Locale;
  readonly context: NumberFormatContext;
  readonly snapshot: ReportSnapshot;
}

function subjectOf(kpi: ReportKpi, language: Locale): { readonly text: string; readonly plural: boolean } {
  if (kpi.subject !== null && kpi.subject !== undefined) return { text: typographicApostrophes(kpi.subject.text), plural: kpi.subject.plural };
  const name = typographicApostrophes(kpi.name);
  // No grammar known for this KPI (the catalog has none): guessed from its name.
  if (language === 'fr') return frenchSubject(name);
  // English needs no article: the name lower-cased (acronyms kept: "MRR", "NPS"), plural when its
  // last word is ("New customers", not "Churn rate").
  const acronym = name.length > 1 && name.charAt(1) === name.charAt(1).toUpperCase() && /\p{Lu}/u.test(name.charAt(1));
  const lastWord = name.split(/\s+/).pop() ?? '';
  return { text: acronym ? name : name.charAt(0).toLowerCase() + name.slice(1), plural: /[^s]s$/i.test(lastWord) };
}

/** French nouns that end in s or x and are singular: "le taux", "le prix". */
const FRENCH_INVARIABLE = new Set(['taux', 'prix', 'temps', 'poids', 'cours', 'mois', 'revenus']);
/** Feminine head nouns of KPI names ("la part", "la durée"); the rest of the catalog's are masculine. */
const FRENCH_FEMININE = new Set([
  'part',
  'durée',
  'valeur',
  'marge',
  'note',
  'moyenne',
  'satisfaction',
  'fréquence',
  'proportion',
  'croissance',
  'rétention',
  'conversion',
  'vitesse',
  'audience',
  'portée',
  'position',
  'profondeur',
  'attrition',
  'fidélité',
]);

/**
 * A KPI name as the subject of a French sentence when the snapshot has no grammar for it
 * ("Chiffre d’affaires" → "le chiffre d’affaires", "Visiteurs" → "les visiteurs", "MRR" → "le
 * MRR"): the article follows the head noun (plural when it ends in s or x, save "taux" and the
 * like; feminine from a short list; elided before a vowel).
 */
function frenchSubject(name: string): { readonly text: string; readonly plural: boolean } {
  const head = (name.split(/[\s’']/)[0] ?? '').toLowerCase();
  const acronym = /^\p{Lu}{2,}/u.test(name);
  const plural = !acronym && /[sx]$/.test(head) && !FRENCH_INVARIABLE.has(head) && !head.endsWith('ss');
  const noun = acronym ? name : name.charAt(0).toLowerCase() + name.slice(1);
  if (plural) return { text: `les ${noun}`, plural: true };
  if (/^[aeiouyhàâéèêîïôû]/i.test(noun)) return { text: `l’${noun}`, plural: false };
  return { text: `${FRENCH_FEMININE.has(head) ? 'la' : 'le'} ${noun}`, plural: false };
}

/** "de" + a French subject: "du chiffre d’affaires", "des sessions", "de la durée", "de l’indicateur". */
function frenchOf(subject: string): string {
  if (subject.startsWith('le ')) return `du ${subject.slice(3)}`;
  if (subject.startsWith('les ')) return `des ${subject.slice(4)}`;
  return `de ${subject}`;
}

/** "par rapport à septembre" / "sur un an"; "from September" / "year on year" ("year over year" in American English). */
function comparisonPhrase(wording: Wording, kpi: ReportKpi, comparison: 'YOY' | 'MOM'): string {
  const fr = wording.language === 'fr';
  if (comparison === 'YOY') return fr ? 'sur un an' : wording.locale === 'en-US' ? 'year over year' : 'year on year';
  if (wording.snapshot.period.kind === 'WEEKLY') return fr ? 'par rapport à la semaine précédente' : 'from the previous week';
  const previous = kpi.series.length >= 2 ? kpi.series[kpi.series.length - 2]?.period : undefined;
  const month = formatMonthName(previous ?? previousMonth(wording.snapshot.period.start), wording.locale);
  // French months are lower case mid-sentence ("septembre"), English ones capitalised.
  return fr ? `par rapport à ${month}` : `from ${month}`;
}

function previousMonth(isoDay: string): string {
  const year = Number(isoDay.slice(0, 4));
  const month = Number(isoDay.slice(5, 7));
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** "en hausse de 19,3 % sur un an" / "up 19.3% year on year"; null when there is no change to tell. */
function movement(wording: Wording, kpi: ReportKpi, comparison: 'YOY' | 'MOM' | null): string | null {
  const side = changeOf(kpi, comparison);
  if (side === null || comparison === null) return null;
  const fr = wording.language === 'fr';
  const phrase = comparisonPhrase(wording, kpi, comparison);
  const points = side.change.kind === 'POINTS' ? (side.change.points ?? side.change.absolute * 100) : null;
  const rising = points !== null ? points > 0 : (side.change.percent ?? side.change.absolute) > 0;
  const flat = points !== null ? Math.abs(points) < 0.05 : Math.abs(side.change.percent ?? 0) < 0.0005;
  if (flat) return fr ? `stable ${phrase}` : `flat ${phrase}`;
  const magnitude = formatKpiChangeMagnitude(side.change, wording.locale);
  if (fr) return `${rising ? 'en hausse' : 'en baisse'} de ${magnitude} ${phrase}`;
  return `${rising ? 'up' : 'down'} ${magnitude} ${phrase}`;
}

/** "malgré une hausse de 40,0 % sur un an" / "despite a 40.0% rise year on year". */
function despite(wording: Wording, kpi: ReportKpi, comparison: 'YOY' | 'MOM' | null): string {
  const side = changeOf(kpi, comparison);
  if (side === null || comparison === null) return '';
  const magnitude = formatKpiChangeMagnitude(side.change, wording.locale);
  const phrase = comparisonPhrase(wording, kpi, comparison);
  const rising = kpi.direction === 'HIGHER_IS_BETTER';
  if (wording.language === 'fr') return `malgré une ${rising ? 'hausse' : 'baisse'} de ${magnitude} ${phrase}`;
  return `despite ${englishArticle(magnitude)} ${magnitude} ${rising ? 'rise' : 'fall'} ${phrase}`;
}

/** "an 11.7% rise", "an 8% fall", "a 40% rise": "an" before the numbers said with a vowel sound (8…, 11, 18). */
function englishArticle(figure: string): string {
  const integer = /\d+/.exec(figure.replace(/,/g, ''))?.[0] ?? '';
  return integer.startsWith('8') || integer === '11' || integer === '18' ? 'an' : 'a';
}

/** A verb agreed with its subject: `agree(plural, 'dépasse', 'dépassent')`. */
function agree(plural: boolean, singular: string, pluralForm: string): string {
  return plural ? pluralForm : singular;
}

/** A KPI on target, direction-aware: a cost under its ceiling "fait mieux que l’objectif", never "sous l’objectif". */
function winSentence(wording: Wording, kpi: ReportKpi, comparison: 'YOY' | 'MOM' | null): string {
  const fr = wording.language === 'fr';
  const { text, plural } = subjectOf(kpi, wording.language);
  const head = capitalizeFirst(text, wording.language);
  const moved = movement(wording, kpi, comparison);
  const tail = moved === null ? '' : `, ${moved}`;
  if (kpi.status !== 'ON_TRACK' || kpi.target === null || kpi.value === null) {
    // A KPI without a target wins by its trend alone.
    return fr ? `${head} ${agree(plural, 'progresse', 'progressent')}${tail}.` : `${head} ${agree(plural, 'improves', 'improve')}${tail}.`;
  }
  if (kpi.direction === 'LOWER_IS_BETTER') {
    const value = formatKpiValue(kpi.value, kpi.unit, wording.context);
    const target = formatKpiValue(kpi.target, kpi.unit, wording.context);
    return fr
      ? `${head} ${agree(plural, 'fait', 'font')} mieux que l’objectif (${value} pour un plafond de ${target})${tail}.`
      : `${head} ${agree(plural, 'beats', 'beat')} its target (${value} against a ceiling of ${target})${tail}.`;
  }
  const attainment = kpi.attainment ?? 1;
  if (attainment >= 1.005) {
    const beyond = formatAttainment(attainment - 1, 'ON_TRACK', wording.locale);
    return fr
      ? `${head} ${agree(plural, 'dépasse', 'dépassent')} l’objectif de ${beyond}${tail}.`
      : `${head} ${agree(plural, 'beats', 'beat')} the target by ${beyond}${tail}.`;
  }
  return fr ? `${head} ${agree(plural, 'atteint', 'atteignent')} l’objectif${tail}.` : `${head} ${agree(plural, 'meets', 'meet')} the target${tail}.`;
}

/** A KPI behind target: "sous l’objectif" only when higher is better; a cost or a rate to lower is "au-dessus du plafond". */
function concernSentence(wording: Wording, kpi: ReportKpi, comparison: 'YOY' | 'MOM' | null): string {
  const fr = wording.language === 'fr';
  const { text, plural } = subjectOf(kpi, wording.language);
  const head = capitalizeFirst(text, wording.language);
  const moved = movement(wording, kpi, comparison);
  const change = favourableChange(kpi, comparison);
  // Behind target yet improving: the improvement is a "despite", not a second piece of bad news.
  const flat = moved !== null && /^(stable|flat) /.test(moved);
  const tail = moved === null ? '' : change !== null && change > 0 && !flat ? ` ${despite(wording, kpi, comparison)}` : `, ${moved}`;
  const value = formatKpiValue(kpi.value, kpi.unit, wording.context);
  const target = formatKpiValue(kpi.target, kpi.unit, wording.context);
  if (kpi.direction === 'LOWER_IS_BETTER') {
    return fr
      ? `${head} ${agree(plural, 'dépasse', 'dépassent')} le plafond fixé (${value} pour ${target})${tail}.`
      : `${head} ${agree(plural, 'is', 'are')} above its ceiling (${value} against ${target})${tail}.`;
  }
  const attainment = formatAttainment(kpi.attainment, kpi.status, wording.locale);
  const far = kpi.status === 'OFF_TRACK';
  return fr
    ? `${head} ${agree(plural, 'reste', 'restent')} ${far ? 'nettement ' : ''}sous l’objectif (${attainment})${tail}.`
    : `${head} ${agree(plural, 'is', 'are')} ${far ? 'well ' : ''}below target (${attainment})${tail}.`;
}

const STAGE_ORDER: Readonly<Record<FunnelStage, number>> = Object.fromEntries(FUNNEL_STAGES.map((stage, index) => [stage, index])) as Record<
  FunnelStage,
  number
>;

/**
 * The likely cause of an outcome's move, from the plan's funnel: an outcome (revenue, orders) is
 * traffic × conversion × basket (the seeds' decomposition of online revenue), so its drivers are
 * the KPIs of the same or earlier funnel stages. The driver that moved most in the outcome's
 * direction is named; an acquisition volume that held steady is said too, since it rules
 * traffic out. Costs (a currency to lower, e.g. CAC) are spending, not a driver of volume.
 */
function causeSentence(wording: Wording, outcome: ReportKpi, comparison: 'YOY' | 'MOM', kpis: readonly ReportKpi[], told: ReadonlySet<string>): string | null {
  const outcomeChange = favourableChange(outcome, comparison);
  const driver = driverOf(outcome, comparison, kpis, wording.snapshot.objectives);
  if (outcomeChange === null || driver === null) return null;
  const good = outcomeChange > 0;
  const steady = driverCandidates(outcome, kpis, wording.snapshot.objectives).find((kpi) => {
    const change = favourableChange(kpi, comparison);
    return kpi.stage === 'ACQUISITION' && kpi.unit === 'COUNT' && change !== null && Math.abs(change) < STEADY;
  });
  const fr = wording.language === 'fr';
  const driverSubject = subjectOf(driver, wording.language);
  const outcomeSubject = subjectOf(outcome, wording.language).text;
  const driverMove = movement(wording, driver, comparison) ?? '';
  const steadySubject = steady === undefined ? null : subjectOf(steady, wording.language);
  const steadyClause =
    steadySubject === null
      ? ''
      : fr
        ? ` alors que ${steadySubject.text} ${steadySubject.plural ? 'sont stables' : 'est stable'}`
        : ` while ${steadySubject.text} held steady`;
  const outcomeRising = (outcome.direction === 'HIGHER_IS_BETTER') === good;
  const driverRising = (driver.direction === 'HIGHER_IS_BETTER') === good;
  if (told.has(driver.key)) {
    // The driver's own point already gives its figure: name the link without repeating it.
    const trailing = steadyClause === '' ? '' : `,${steadyClause}`;
    if (fr) {
      const outcomeMove = driverRising === outcomeRising ? 'celle' : outcomeRising ? 'la hausse' : 'la baisse';
      return `${driverRising ? 'La hausse' : 'La baisse'} ${frenchOf(driverSubject.text)} explique ${outcomeMove} ${frenchOf(outcomeSubject)}${trailing}.`;
    }
    return `The ${driverRising ? 'rise' : 'fall'} in ${driverSubject.text} explains the ${outcomeRising ? 'rise' : 'decline'} in ${outcomeSubject}${trailing}.`;
  }
  if (fr) {
    const move = outcomeRising ? 'la hausse' : 'la baisse';
    return `${capitalizeFirst(driverSubject.text, 'fr')} ${driverSubject.plural ? 'sont' : 'est'} ${driverMove}${steadyClause}\u00a0: c’est ce qui explique ${move} ${frenchOf(outcomeSubject)}.`;
  }
  const move = outcomeRising ? 'rise' : 'decline';
  return `${capitalizeFirst(driverSubject.text, 'en')} ${driverSubject.plural ? 'are' : 'is'} ${driverMove}${steadyClause}: that explains the ${move} in ${outcomeSubject}.`;
}

/** The next step, by the funnel stage of the most important concern. */
function actionSentence(wording: Wording, concern: ReportKpi | null, win: ReportKpi | null): string {
  const fr = wording.language === 'fr';
  if (wording.snapshot.kpis.every((kpi) => kpi.value === null)) {
    return fr ? 'Rétablir la collecte des données avant le prochain rapport.' : 'Restore data collection before the next report.';
  }
  if (concern === null) {
    const subject = win === null ? null : subjectOf(win, wording.language).text;
    if (fr) return `Consolider les leviers qui fonctionnent${subject === null ? '' : ` et revoir l’objectif ${frenchOf(subject)} si la tendance se confirme`}.`;
    return `Build on what works${subject === null ? '' : ` and revisit the target for ${subject} if the trend holds`}.`;
  }
  const subject = subjectOf(concern, wording.language).text;
  const actions: Record<FunnelStage, readonly [string, string]> = {
    ACQUISITION: ['revoir la répartition du budget média entre les canaux', 'rebalance the media budget across channels'],
    CONVERSION: ['travailler le parcours d’achat (pages clés, formulaire, paiement)', 'work on the purchase path (key pages, forms, checkout)'],
    ENGAGEMENT: ['retravailler les contenus et les relances', 'rework content and follow-ups'],
    REVENUE: ['agir sur la valeur par client (ventes additionnelles, offres groupées)', 'lift value per customer (upsell, bundles)'],
    REFERRAL: ['relancer la recommandation (parrainage, demandes d’avis)', 'revive referrals (referral programme, review requests)'],
  };
  const [frAction, enAction] = actions[concern.stage];
  return fr ? `${capitalizeFirst(frAction, 'fr')} pour redresser ${subject}.` : `${capitalizeFirst(enAction, 'en')} to bring ${subject} back on target.`;
}

function overviewSentence(wording: Wording): string {
  const withTarget = wording.snapshot.kpis.filter((kpi) => kpi.status === 'ON_TRACK' || kpi.status === 'AT_RISK' || kpi.status === 'OFF_TRACK');
  const onTrack = withTarget.filter((kpi) => kpi.status === 'ON_TRACK').length;
  if (wording.language === 'fr') {
    return withTarget.length === 0
      ? 'Aucun indicateur n’a à la fois une valeur et un objectif sur la période.'
      : `${onTrack} indicateur${onTrack > 1 ? 's' : ''} sur ${withTarget.length} ${onTrack > 1 ? 'atteignent leur' : 'atteint son'} objectif.`;
  }
  return withTarget.length === 0
    ? 'No KPI has both a value and a target over the period.'
    : `${onTrack} of ${withTarget.length} KPI${withTarget.length > 1 ? 's' : ''} ${onTrack === 1 || withTarget.length === 1 ? 'is' : 'are'} on target.`;
}

/** The cover's one line, without figures (the cover prints them beside it). */
function takeawaySentence(wording: Wording, headline: StoryHeadline | null, concern: ReportKpi | null, cause: ReportKpi | null): string {
  const fr = wording.language === 'fr';
  if (headline === null) return overviewSentence(wording);
  const { kpi } = headline;
  const { text, plural } = subjectOf(kpi, wording.language);
  const head = capitalizeFirst(text, wording.language);
  const change = favourableChange(kpi, headline.comparison);
  let state: string;
  if (kpi.status === 'ON_TRACK') state = fr ? (plural ? 'atteignent leur objectif' : 'atteint son objectif') : plural ? 'are on target' : 'is on target';
  else if (kpi.status === 'AT_RISK')
    state = fr ? (plural ? 'restent juste sous l’objectif' : 'reste juste sous l’objectif') : plural ? 'are just short of target' : 'is just short of target';
  else if (kpi.status === 'OFF_TRACK')
    state = fr ? (plural ? 'restent loin de l’objectif' : 'reste loin de l’objectif') : plural ? 'are well short of target' : 'is well short of target';
  else if (change !== null && change >= 0) state = fr ? (plural ? 'progressent' : 'progresse') : plural ? 'grow' : 'grows';
  else state = fr ? (plural ? 'reculent' : 'recule') : plural ? 'decline' : 'declines';
  const improving = change !== null && change >= 0;
  // "driven by" only when the move agrees with the status: a KPI short of target though it grew
  // is so "despite" its driver's rise, not "driven by" it.
  const agrees = (kpi.status === 'ON_TRACK' || kpi.status === 'NO_TARGET') === improving;
  let drivenBy = '';
  if (cause !== null && agrees) {
    drivenBy = fr
      ? `, ${improving ? 'porté' : 'freiné'}${plural ? 's' : ''} par ${subjectOf(cause, 'fr').text}`
      : `, ${improving ? 'driven' : 'held back'} by ${subjectOf(cause, 'en').text}`;
  } else if (cause !== null) {
    const causeRising = (cause.direction === 'HIGHER_IS_BETTER') === improving;
    drivenBy = fr
      ? ` malgré ${causeRising ? 'la hausse' : 'la baisse'} ${frenchOf(subjectOf(cause, 'fr').text)}`
      : ` despite the ${causeRising ? 'rise' : 'fall'} in ${subjectOf(cause, 'en').text}`;
  }
  const watch =
    concern === null || concern.key === kpi.key
      ? ''
      : fr
        ? `\u00a0; ${subjectOf(concern, 'fr').text} ${subjectOf(concern, 'fr').plural ? 'sont' : 'est'} à surveiller`
        : `; ${subjectOf(concern, 'en').text} ${subjectOf(concern, 'en').plural ? 'need' : 'needs'} attention`;
  return `${head} ${state}${drivenBy}${watch}.`;
}

interface Ranked {
  readonly kpi: ReportKpi;
  readonly score: number;
}

/**
 * Drafts the story. Ranking: a KPI's weight is 3 when it is a headline KPI, 2 in a vital
 * objective, 1 otherwise; a concern scores weight × its shortfall (1 − attainment, +0.1 when
 * off track); a win scores weight × (overshoot + its favourable change). The top win and the top
 * concern come first, in score order, each with the likely cause of the headline's move after
 * it, then the second concern (or win), then the next step: 3 to 5 points.
 */
export function draftReportStory(snapshot: ReportSnapshot): ReportStory {
  const context: NumberFormatContext = {
    locale: snapshot.client.locale,
    currency: snapshot.client.currency,
    formattingLocale: snapshot.client.formattingLocale,
  };
  const locale = numberLocale(context);
  const wording: Wording = { locale, language: snapshot.client.locale, context, snapshot };
  const byKey = new Map(snapshot.kpis.map((kpi) => [kpi.key, kpi]));
  const vital = snapshot.objectives.slice(0, VITAL_OBJECTIVES);
  const headlines: StoryHeadline[] = [];
  for (const objective of vital) {
    const kpi = headlineKpi(objective.kpis.map((key) => byKey.get(key)).filter((candidate): candidate is ReportKpi => candidate !== undefined));
    if (kpi !== null && !headlines.some((headline) => headline.kpi.key === kpi.key)) {
      headlines.push({ objectiveName: objective.name, kpi, comparison: comparisonOf(snapshot, kpi) });
    }
  }
  const headlineKeys = new Set(headlines.map((headline) => headline.kpi.key));
  const vitalKeys = new Set(vital.flatMap((objective) => objective.kpis));
  const weight = (kpi: ReportKpi): number => (headlineKeys.has(kpi.key) ? 3 : vitalKeys.has(kpi.key) ? 2 : 1);

  const withValue = snapshot.kpis.filter((kpi) => kpi.value !== null);
  const concerns: Ranked[] = withValue
    .filter((kpi) => kpi.status === 'AT_RISK' || kpi.status === 'OFF_TRACK')
    .map((kpi) => ({ kpi, score: weight(kpi) * (1 - (kpi.attainment ?? 0) + (kpi.status === 'OFF_TRACK' ? 0.1 : 0)) }))
    .sort((a, b) => b.score - a.score);
  const wins: Ranked[] = withValue
    .map((kpi) => {
      const change = favourableChange(kpi, comparisonOf(snapshot, kpi));
      if (kpi.status === 'ON_TRACK') return { kpi, score: weight(kpi) * ((kpi.attainment ?? 1) - 1 + Math.max(0, change ?? 0)) };
      // Without a target, a clear improvement (10 % or more) is still news.
      if (kpi.status === 'NO_TARGET' && change !== null && change >= 0.1) return { kpi, score: weight(kpi) * change };
      return null;
    })
    // At target and falling, or just at target, is no news: a win beats the target or improves.
    .filter((ranked): ranked is Ranked => ranked !== null && ranked.score > 0)
    .sort((a, b) => b.score - a.score);

  const points: (SummaryPoint & { readonly score: number })[] = [];
  const [topWin, secondWin] = wins;
  const [topConcern, secondConcern] = concerns;
  // The cover prints a headline KPI's changes: the summary does not print them again.
  const told = (kpi: ReportKpi): 'YOY' | 'MOM' | null => (headlineKeys.has(kpi.key) ? null : comparisonOf(snapshot, kpi));
  if (topWin !== undefined) points.push({ kind: 'WIN', kpiKey: topWin.kpi.key, score: topWin.score, text: winSentence(wording, topWin.kpi, told(topWin.kpi)) });
  if (topConcern !== undefined) {
    points.push({ kind: 'CONCERN', kpiKey: topConcern.kpi.key, score: topConcern.score, text: concernSentence(wording, topConcern.kpi, told(topConcern.kpi)) });
  }
  const next = secondConcern ?? secondWin;
  if (next !== undefined) {
    const kind = next === secondConcern ? 'CONCERN' : 'WIN';
    const comparison = told(next.kpi);
    points.push({
      kind,
      kpiKey: next.kpi.key,
      score: next.score / 2,
      text: kind === 'CONCERN' ? concernSentence(wording, next.kpi, comparison) : winSentence(wording, next.kpi, comparison),
    });
  }
  points.sort((a, b) => b.score - a.score);
  // The summary opens on the cover's headline when no other point tells its state (without its
  // figures, which the cover prints).
  const lead = headlines[0]?.kpi;
  if (lead !== undefined && !points.some((point) => point.kpiKey === lead.key)) {
    if (lead.status === 'AT_RISK' || lead.status === 'OFF_TRACK')
      points.unshift({ kind: 'CONCERN', kpiKey: lead.key, score: Infinity, text: concernSentence(wording, lead, null) });
    else if (lead.status === 'ON_TRACK') points.unshift({ kind: 'WIN', kpiKey: lead.key, score: Infinity, text: winSentence(wording, lead, null) });
  }

  // The cause explains the first headline's move (or, without one, the top concern's).
  // A concern is explained only when it moved the wrong way: a rise does not explain a shortfall.
  const concernFalling = topConcern !== undefined && (favourableChange(topConcern.kpi, comparisonOf(snapshot, topConcern.kpi)) ?? 0) < 0;
  const explained = headlines[0]?.kpi ?? (concernFalling ? topConcern?.kpi : null) ?? null;
  const explainedComparison = explained === null ? null : comparisonOf(snapshot, explained);
  let causeKpi: ReportKpi | null = null;
  if (explained !== null && explainedComparison !== null) {
    const toldKeys = new Set(points.filter((point) => point.kpiKey !== null && !headlineKeys.has(point.kpiKey)).map((point) => point.kpiKey ?? ''));
    const cause = causeSentence(wording, explained, explainedComparison, snapshot.kpis, toldKeys);
    if (cause !== null) {
      causeKpi = driverOf(explained, explainedComparison, snapshot.kpis, snapshot.objectives);
      // Right after the point it explains, else after its driver's point, else first: it explains the cover's headline.
      const explainedAt = points.findIndex((point) => point.kpiKey === explained.key);
      const driverAt = points.findIndex((point) => point.kpiKey === causeKpi?.key);
      const at = explainedAt !== -1 ? explainedAt + 1 : driverAt !== -1 ? driverAt + 1 : 0;
      points.splice(at, 0, { kind: 'CAUSE', kpiKey: causeKpi?.key ?? null, score: 0, text: cause });
    }
  }
  const story: SummaryPoint[] = points.slice(0, MAX_POINTS - 1).map(({ kind, text, kpiKey }) => ({ kind, text, kpiKey }));
  if (story.length < MIN_POINTS - 1) story.unshift({ kind: 'OVERVIEW', kpiKey: null, text: overviewSentence(wording) });
  story.push({ kind: 'ACTION', kpiKey: topConcern?.kpi.key ?? null, text: actionSentence(wording, topConcern?.kpi ?? null, topWin?.kpi ?? null) });

  return {
    headlines,
    takeaway: takeawaySentence(wording, headlines[0] ?? null, topConcern?.kpi ?? null, causeKpi),
    points: story,
  };
}

/**
 * KPIs that can drive an outcome: in the same objective of the plan (the plan relates them; a
 * churn rate does not drive a shop's revenue), of the same or an earlier funnel stage, with a
 * value, not a cost.
 */
function driverCandidates(outcome: ReportKpi, kpis: readonly ReportKpi[], objectives: ReportSnapshot['objectives']): ReportKpi[] {
  const related = new Set(objectives.filter((objective) => objective.kpis.includes(outcome.key)).flatMap((objective) => objective.kpis));
  return kpis.filter(
    (kpi) =>
      kpi.key !== outcome.key &&
      (related.size === 0 || related.has(kpi.key)) &&
      kpi.value !== null &&
      STAGE_ORDER[kpi.stage] <= STAGE_ORDER[outcome.stage] &&
      !(kpi.unit === 'CURRENCY' && kpi.direction === 'LOWER_IS_BETTER'),
  );
}

/** The driver that moved most, by at least 2 %, in the direction of the outcome's move (none when the outcome is steady). */
function driverOf(outcome: ReportKpi, comparison: 'YOY' | 'MOM', kpis: readonly ReportKpi[], objectives: ReportSnapshot['objectives']): ReportKpi | null {
  const outcomeChange = favourableChange(outcome, comparison);
  if (outcomeChange === null || Math.abs(outcomeChange) < STEADY) return null;
  const good = outcomeChange > 0;
  let best: { kpi: ReportKpi; change: number } | null = null;
  for (const kpi of driverCandidates(outcome, kpis, objectives)) {
    const change = favourableChange(kpi, comparison);
    if (change === null || (good ? change < STEADY : change > -STEADY)) continue;
    if (best === null || (good ? change > best.change : change < best.change)) best = { kpi, change };
  }
  return best?.kpi ?? null;
}
