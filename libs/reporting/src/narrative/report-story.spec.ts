import { demoReportSnapshot } from '../snapshot/demo-snapshot';
import type { KpiChange, ReportKpi, ReportSnapshot } from '../snapshot/report-snapshot';
import { buildReportViewModel } from '../view/report-view-model';
import { draftNarrative } from './narrative.drafter';
import { draftReportStory, headlineKpi } from './report-story';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

function points(value: number): KpiChange {
  return { kind: 'POINTS', absolute: value / 100, percent: null, points: value };
}
function percent(value: number): KpiChange {
  return { kind: 'PERCENT', absolute: value, percent: value, points: null };
}
const NONE = { value: null, change: null } as const;

/** A KPI from the demo's conversion rate, no year-ago value unless given (the story then reads month on month). */
function kpi(overrides: Partial<ReportKpi>): ReportKpi {
  const template = demoReportSnapshot().kpis.find((candidate) => candidate.key === 'conversion_rate');
  if (template === undefined) throw new Error('demo snapshot lost its conversion rate');
  return { ...template, yoy: NONE, ...overrides };
}

const SESSIONS = (change: number): Partial<ReportKpi> => ({
  key: 'sessions',
  name: 'Sessions',
  subject: { text: 'les sessions', plural: true },
  stage: 'ACQUISITION',
  unit: 'COUNT',
  direction: 'HIGHER_IS_BETTER',
  value: 100_000 * (1 + change),
  target: null,
  attainment: null,
  status: 'NO_TARGET',
  mom: NONE,
  yoy: { value: 100_000, change: percent(change) },
});
const CONVERSION = (from: number, to: number): Partial<ReportKpi> => ({
  key: 'conversion_rate',
  value: to,
  target: 0.02,
  attainment: to / 0.02,
  status: to >= 0.02 ? 'ON_TRACK' : to >= 0.018 ? 'AT_RISK' : 'OFF_TRACK',
  mom: NONE,
  yoy: { value: from, change: points((to - from) * 100) },
});
const REVENUE = (from: number, to: number, target: number): Partial<ReportKpi> => ({
  key: 'revenue',
  name: 'Chiffre d’affaires',
  subject: { text: "le chiffre d'affaires", plural: false },
  stage: 'REVENUE',
  unit: 'CURRENCY',
  direction: 'HIGHER_IS_BETTER',
  value: to,
  target,
  attainment: to / target,
  status: to >= target ? 'ON_TRACK' : to >= 0.9 * target ? 'AT_RISK' : 'OFF_TRACK',
  mom: NONE,
  yoy: { value: from, change: percent(to / from - 1) },
});
const CAC = (value: number, target: number): Partial<ReportKpi> => ({
  key: 'cac',
  name: 'Coût d’acquisition client',
  subject: { text: "le coût d'acquisition client", plural: false },
  stage: 'ACQUISITION',
  unit: 'CURRENCY',
  direction: 'LOWER_IS_BETTER',
  value,
  target,
  attainment: target / value,
  status: value <= target ? 'ON_TRACK' : target / value >= 0.9 ? 'AT_RISK' : 'OFF_TRACK',
  mom: { value: value * 1.1, change: percent(1 / 1.1 - 1) },
  yoy: NONE,
});

function snapshotWith(locale: 'fr' | 'en', kpis: Partial<ReportKpi>[], objectives?: ReportSnapshot['objectives']): ReportSnapshot {
  const base = demoReportSnapshot({ client: { locale } });
  const built = kpis.map(kpi);
  return {
    ...base,
    kpis: built,
    objectives: objectives ?? [{ key: 'sales', name: locale === 'fr' ? 'Développer les ventes' : 'Grow sales', kpis: built.map((one) => one.key) }],
    commentary: null,
  };
}

describe(draftReportStory.name, () => {
  it('picks the headline KPI of an objective: its largest revenue amount, else a conversion KPI, else the first with a value', () => {
    const [sessions, conversion, revenue] = [kpi(SESSIONS(0)), kpi(CONVERSION(0.02, 0.021)), kpi(REVENUE(100, 120, 110))];
    expect(headlineKpi([sessions, conversion, revenue])?.key).toBe('revenue');
    expect(headlineKpi([sessions, conversion, { ...revenue, value: null }])?.key).toBe('conversion_rate');
    expect(headlineKpi([sessions])?.key).toBe('sessions');
    // A basket (an amount per order) is a REVENUE KPI too, but the total is the headline.
    const basket = kpi({ ...REVENUE(80, 90, 85), key: 'average_order_value' });
    expect(headlineKpi([sessions, basket, revenue])?.key).toBe('revenue');
  });

  it('explains a revenue drop by the conversion drop when sessions held steady, in natural French', () => {
    const story = draftReportStory(snapshotWith('fr', [SESSIONS(0.008), CONVERSION(0.024, 0.02), REVENUE(500_000, 440_000, 480_000)]));
    expect(story.headlines.map((headline) => headline.kpi.key)).toEqual(['revenue']);
    const cause = story.points.find((point) => point.kind === 'CAUSE');
    expect(cause?.text).toBe(
      `Le taux de conversion est en baisse de 0,4${NBSP}pt sur un an alors que les sessions sont stables${NBSP}: c’est ce qui explique la baisse du chiffre d’affaires.`,
    );
    // The concern comes first (revenue, the headline, is 8.3 % short), the cause right after it, the next step last.
    expect(story.points.map((point) => point.kind)).toEqual(['CONCERN', 'CAUSE', 'ACTION']);
    expect(story.points[0]?.text).toBe(`Le chiffre d’affaires reste sous l’objectif (92${NNBSP}%).`);
    expect(story.takeaway).toBe('Le chiffre d’affaires reste juste sous l’objectif, freiné par le taux de conversion.');
  });

  it('calls a customer acquisition cost under its target a win, never "sous l’objectif"', () => {
    // No objective, so no headline: the summary tells the change (the cover would print it otherwise).
    const story = draftReportStory(snapshotWith('fr', [CAC(22.5, 25)], []));
    const win = story.points.find((point) => point.kind === 'WIN');
    expect(win?.text).toBe(
      `Le coût d’acquisition client fait mieux que l’objectif (22,50${NBSP}€ pour un plafond de 25,00${NBSP}€), en baisse de 9,1${NNBSP}% par rapport à septembre.`,
    );
    expect(story.points.map((point) => point.text).join(' ')).not.toContain('sous l’objectif');
  });

  it('calls a cost above its target a concern, above its ceiling', () => {
    const cac = { ...CAC(28, 25), subject: { text: 'customer acquisition cost', plural: false } };
    const story = draftReportStory(snapshotWith('en', [cac], []));
    expect(story.points.find((point) => point.kind === 'CONCERN')?.text).toBe(
      'Customer acquisition cost is above its ceiling (€28.00 against €25.00) despite a 9.1% fall from September.',
    );
  });

  it('ranks a vital objective’s shortfall above a smaller one elsewhere, and tells a win with its month', () => {
    const snapshot = snapshotWith(
      'en',
      [
        { ...CONVERSION(0.02, 0.0228), mom: { value: 0.0188, change: points(0.4) } },
        {
          key: 'open_rate',
          name: 'Open rate',
          subject: { text: 'newsletter open rate', plural: false },
          stage: 'ENGAGEMENT',
          status: 'AT_RISK',
          attainment: 0.95,
          value: 0.285,
          target: 0.3,
          mom: NONE,
        },
        {
          key: 'aov',
          name: 'AOV',
          subject: { text: 'average order value', plural: false },
          stage: 'REVENUE',
          unit: 'CURRENCY',
          status: 'AT_RISK',
          attainment: 0.92,
          value: 92,
          target: 100,
          mom: NONE,
        },
      ],
      [{ key: 'sales', name: 'Grow sales', kpis: ['conversion_rate', 'aov'] }],
    );
    const story = draftReportStory(snapshot);
    const concerns = story.points.filter((point) => point.kind === 'CONCERN').map((point) => point.kpiKey);
    expect(concerns).toEqual(['aov', 'open_rate']);
    expect(story.points.length).toBeGreaterThanOrEqual(3);
    expect(story.points.length).toBeLessThanOrEqual(5);
    expect(story.points[story.points.length - 1]?.kind).toBe('ACTION');
  });

  it('says "year over year" for an American client and "year on year" for a British one', () => {
    const kpis = [
      SESSIONS(0.005),
      { ...CONVERSION(0.02, 0.021), key: 'signup_rate', name: 'Signup rate', subject: { text: 'signup rate', plural: false } },
      CONVERSION(0.018, 0.0225),
    ];
    const us = snapshotWith('en', kpis, [{ key: 'growth', name: 'Growth', kpis: ['sessions'] }]);
    const text = (snapshot: ReportSnapshot): string =>
      draftReportStory(snapshot)
        .points.map((point) => point.text)
        .join(' ');
    expect(text({ ...us, client: { ...us.client, formattingLocale: 'en-US' } })).toContain('year over year');
    expect(text({ ...us, client: { ...us.client, formattingLocale: 'en-GB' } })).toContain('year on year');
  });

  it('drafts 3 to 5 points for the demo client, with typographic apostrophes and lower-case months', () => {
    const paragraphs = draftNarrative(demoReportSnapshot());
    expect(paragraphs.length).toBeGreaterThanOrEqual(3);
    expect(paragraphs.length).toBeLessThanOrEqual(5);
    expect(paragraphs[paragraphs.length - 1]).toMatch(/^Prochaine étape\u00a0: /);
    const all = paragraphs.join(' ');
    expect(all).not.toContain("'");
    expect(all).not.toMatch(/sur (Janvier|Février|Mars|Avril|Mai|Juin|Juillet|Août|Septembre|Octobre|Novembre|Décembre|janvier|février|septembre|octobre)/);
  });
});

describe('story edge cases', () => {
  it('asks for the data back when no KPI has a value, and says so in the overview', () => {
    const base = demoReportSnapshot({ client: { locale: 'en' } });
    const empty = { ...base, kpis: base.kpis.map((one) => ({ ...one, value: null, status: 'NO_DATA' as const, attainment: null })) };
    const story = draftReportStory(empty);
    expect(story.points.map((point) => point.kind)).toEqual(['OVERVIEW', 'ACTION']);
    expect(story.points[1]?.text).toBe('Restore data collection before the next report.');
  });

  it('says a concern that did not move is flat, not "despite a 0.0 pt rise"', () => {
    const story = draftReportStory(
      snapshotWith(
        'en',
        [{ ...CONVERSION(0.02, 0.0185), subject: { text: 'conversion rate', plural: false }, yoy: { value: 0.0185, change: points(0.001) } }],
        [],
      ),
    );
    expect(story.points.find((point) => point.kind === 'CONCERN')?.text).toBe('Conversion rate is below target (92%), flat year on year.');
    expect(story.points[0]?.text).toBe('0 of 1 KPI is on target.');
  });
});

describe('executive summary in the view', () => {
  it('replaces the draft by the project manager’s edited paragraphs', () => {
    const snapshot = { ...demoReportSnapshot(), narrative: ["Le mois s'est bien passé.", 'Deuxième point.'] };
    const view = buildReportViewModel(snapshot);
    expect(view.story.edited).toBe(true);
    expect(view.story.points.map((point) => point.text)).toEqual(['Le mois s’est bien passé.', 'Deuxième point.']);
    const overridden = buildReportViewModel(snapshot, { narrative: ['Option.'] });
    expect(overridden.story.points.map((point) => point.text)).toEqual(['Option.']);
    expect(buildReportViewModel(demoReportSnapshot()).story.edited).toBe(false);
  });

  it('leads the cover with each vital objective’s headline KPI, its value and a takeaway', () => {
    const view = buildReportViewModel(demoReportSnapshot());
    expect(view.story.headlines.map((headline) => headline.kpiName)).toEqual(['Chiffre d’affaires', 'Taux d’ouverture newsletter']);
    expect(view.story.headlines[0]?.value).toMatch(/€$/);
    expect(view.story.takeaway).toMatch(/^Le chiffre d’affaires /);
  });
});
