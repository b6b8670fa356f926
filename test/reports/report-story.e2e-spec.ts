import { formatKpiValue } from '@pilotage/reporting';
import { newClient } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { readPdf, requestAndRender, seedFrenchShop, storedPdf, type PdfReading, type SeededShop } from './report-fixtures';
import { RENDER_TEST_TIMEOUT_MS, REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const SCORECARD = `query ($clientId: ID!, $month: String!) { scorecard(clientId: $clientId, month: $month) { rows { kpiKey value } } }`;
const CLIENT = `query ($id: ID!) { client(id: $id) { locale formattingLocale currency logoDataUri } }`;
const UPDATE_CLIENT = `mutation ($input: UpdateClientInput!) { updateClient(input: $input) { formattingLocale } }`;
const LOGO = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>').toString('base64')}`;

/** The pages of a `pdftotext -layout` reading (form feeds between pages). */
function pages(reading: PdfReading): string[] {
  return reading.text.split('\f');
}

describe('report story: cover, executive summary and the client’s formatting locale (end to end)', () => {
  let api: TestApi;
  let shop: SeededShop;
  let french: PdfReading;

  beforeAll(async () => {
    api = await startTestApi();
    shop = await seedFrenchShop(api);
    french = await readPdf(await storedPdf(api, await requestAndRender(api, shop.agency, shop.clientId)));
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await api.close();
  }, TEARDOWN_TIMEOUT_MS);

  it('leads the French cover with the revenue of the sales objective and a one-line takeaway', () => {
    const cover = pages(french)[0] ?? '';
    expect(cover).toContain('Chiffre d’affaires');
    expect(cover).toMatch(/vs année précédente/);
    // The takeaway names the headline KPI in a sentence, with typographic apostrophes.
    expect(cover).toMatch(/Le chiffre d’affaires (atteint son objectif|reste juste sous l’objectif|reste loin de l’objectif|progresse|recule)/);
  });

  it('prints an executive summary of 3 to 5 ranked points in natural French, instead of the mechanical list', () => {
    const summary = pages(french).find((page) => page.includes('Synthèse')) ?? '';
    const labels = summary.match(/^\s*(Succès|Point d’attention|Cause probable|Prochaine étape|Vue d’ensemble)\s*$/gm) ?? [];
    expect(labels.length).toBeGreaterThanOrEqual(3);
    expect(labels.length).toBeLessThanOrEqual(5);
    expect(labels[labels.length - 1]?.trim()).toBe('Prochaine étape');
    expect(french.text).not.toContain('Lecture des chiffres');
    expect(french.text).not.toContain("L'essentiel du mois");
    // No calque ("sur octobre"), no capitalised month mid-sentence, no straight apostrophe in the story.
    expect(summary).not.toMatch(/\bsur (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b/i);
    expect(summary).not.toMatch(/[a-zé] (Janvier|Février|Mars|Avril|Mai|Juin|Juillet|Août|Septembre|Octobre|Novembre|Décembre)\b/);
    expect(summary).not.toContain("'");
  });

  it(
    'writes an American client’s report in en-US: "$468,153" money, month-first dates, no space before %',
    async () => {
      const client = await newClient(api, shop.agency, { locale: 'en', currency: 'USD', timeZone: 'America/New_York' });
      expect((await api.gqlOk<{ client: { formattingLocale: string } }>(CLIENT, { id: client.id }, shop.agency.token)).client.formattingLocale).toBe('EN_GB');

      // The seeded shop becomes a US client with its own logo: the same figures, written the American way.
      const updated = await api.gqlOk<{ updateClient: { formattingLocale: string } }>(
        UPDATE_CLIENT,
        { input: { id: shop.clientId, locale: 'en', formattingLocale: 'EN_US', currency: 'USD', timeZone: 'America/New_York', logoDataUri: LOGO } },
        shop.agency.token,
      );
      expect(updated.updateClient.formattingLocale).toBe('EN_US');
      const stored = await api.gqlOk<{ client: { formattingLocale: string; logoDataUri: string } }>(CLIENT, { id: shop.clientId }, shop.agency.token);
      expect(stored.client).toMatchObject({ formattingLocale: 'EN_US', logoDataUri: LOGO });

      const report = await requestAndRender(api, shop.agency, shop.clientId, '2026-09-01');
      const reading = await readPdf(await storedPdf(api, report));
      const rows = (
        await api.gqlOk<{ scorecard: { rows: { kpiKey: string; value: number | null }[] } }>(
          SCORECARD,
          { clientId: shop.clientId, month: '2026-09' },
          shop.agency.token,
        )
      ).scorecard.rows;
      const revenue = rows.find((row) => row.kpiKey === 'revenue')?.value ?? null;
      const printed = formatKpiValue(revenue, 'CURRENCY', { locale: 'en', currency: 'USD', formattingLocale: 'en-US' });
      expect(printed).toMatch(/^\$\d{1,3}(,\d{3})+$/);
      expect(reading.text).toContain(printed);
      // Issued on a month-first date; "September 2026" as the period.
      expect(reading.text).toMatch(/(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}/);
      expect(reading.text).toContain('September 2026');
      // English percentages take no space before the sign (the French narrow space folds into a space here).
      expect(reading.text).not.toMatch(/\d %/);
      const summary = pages(reading).find((page) => page.includes('Summary')) ?? '';
      expect(summary).toMatch(/Next step/);
      expect(summary).not.toContain("'");
    },
    RENDER_TEST_TIMEOUT_MS,
  );
});
