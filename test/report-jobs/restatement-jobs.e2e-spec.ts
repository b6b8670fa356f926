import type { Pool } from 'pg';
import { runWithTenant, systemContext, TenantDatabase } from '@pilotage/database';
import { DomainEvents } from '@pilotage/events';
import { startTestApi, type TestApi } from '../support/test-api';
import { ownerPool } from '../support/test-database';
import { requestAndRender, seedFrenchShop, type SeededShop } from '../reports/report-fixtures';
import { startTestWorker, waitFor, type TestWorker } from './test-worker';
import { APP_BOOT_TIMEOUT_MS, RENDER_TEST_TIMEOUT_MS, REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const RECORD = `mutation ($input: RecordMetricValuesInput!) { recordMetricValues(input: $input) { importId inserted updated unchanged } }`;

/**
 * The restatements.check job through the real worker: an import announces its values
 * (DomainEvents.metricsImported, in the import's transaction, as imports and syncs do), the
 * debounced job runs RestatementDetector for the client.
 */
describe('restatement checks queued after an import', () => {
  let api: TestApi;
  let worker: TestWorker;
  let owner: Pool;
  let shop: SeededShop;

  beforeAll(async () => {
    api = await startTestApi({ ALERT_EVALUATION_DEBOUNCE_SECONDS: '1' });
    worker = await startTestWorker(api.config);
    owner = ownerPool();
    shop = await seedFrenchShop(api);
  }, APP_BOOT_TIMEOUT_MS + REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await owner?.end();
  }, TEARDOWN_TIMEOUT_MS);

  it(
    'records the restatement of a READY report with the import that changed it',
    async () => {
      const report = await requestAndRender(api, shop.agency, shop.clientId, '2026-10-01');
      const days = await owner.query<{ date: string; value: string }>(
        `SELECT to_char(date, 'YYYY-MM-DD') AS date, value::text FROM metric_values
          WHERE client_id = $1 AND metric_key = 'orders' AND date BETWEEN '2026-10-01' AND '2026-10-31'`,
        [shop.clientId],
      );
      const imported = await api.gqlOk<{ recordMetricValues: { importId: string; updated: number } }>(
        RECORD,
        {
          input: {
            clientId: shop.clientId,
            values: days.rows.map((day) => ({ metricKey: 'orders', date: day.date, value: String(Number(day.value) * 2), granularity: 'DAY' })),
          },
        },
        shop.agency.token,
      );
      expect(imported.recordMetricValues.updated).toBe(31);
      await runWithTenant(systemContext(shop.agency.agencyId), () =>
        api.app.get(TenantDatabase).run((manager) =>
          api.app.get(DomainEvents).metricsImported(manager, shop.agency.agencyId, {
            clientId: shop.clientId,
            importId: imported.recordMetricValues.importId,
            kind: 'API',
            inserted: 0,
            updated: 31,
            unchanged: 0,
          }),
        ),
      );
      const rows = await waitFor('a restatement', async () => {
        const found = await owner.query<{ kpi_key: string; import_id: string }>(`SELECT kpi_key, import_id FROM report_restatements WHERE report_id = $1`, [
          report.id,
        ]);
        return found.rows.length > 0 ? found.rows : null;
      });
      // Orders doubled: the conversion rate and the average order value, both computed from orders, moved.
      expect(rows.map((row) => row.kpi_key)).toEqual(expect.arrayContaining(['ecommerce_conversion_rate', 'average_order_value']));
      expect(new Set(rows.map((row) => row.import_id))).toEqual(new Set([imported.recordMetricValues.importId]));
    },
    RENDER_TEST_TIMEOUT_MS,
  );
});
