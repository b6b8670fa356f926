import { dayOfLocalTimestamp } from '../export-day.readers';
import type { ExportPreset } from '../export-preset.types';
import { currencyGuard, subtractDecimals } from './preset-support';

type ShopifyRole =
  'name' | 'financialStatus' | 'createdAt' | 'currency' | 'subtotal' | 'taxes' | 'total' | 'refunded' | 'cancelledAt' | 'lineitemQuantity' | 'source';

/**
 * Shopify orders export (Orders > Export > CSV; Shopify Help "Exporting orders"): one row per
 * line item, the order's own fields (Financial Status, Total, Taxes, Refunded Amount...) on its
 * first row only. Shopify writes these files in English whatever the admin language.
 *
 * - orders: distinct orders created that day (cancelled and voided ones left out);
 * - revenue: Total − Taxes, our catalog's revenue being excluding taxes (shipping included, as
 *   the customer paid it);
 * - refunds_amount: Refunded Amount, dated on the order's day because the export has no refund
 *   date (a refund in November of an October order lands in October: a limit of the file).
 * An orders export says nothing of how the customer came: channel OTHER, which the client's
 * source-to-channel settings may reassign.
 */
export const SHOPIFY_PRESET: ExportPreset<ShopifyRole> = {
  id: 'SHOPIFY',
  name: 'Shopify orders export',
  platform: 'Shopify',
  columns: {
    name: { labels: { en: ['Name'] }, required: true, use: 'orders (distinct order names)' },
    financialStatus: { labels: { en: ['Financial Status'] }, required: true, use: 'orders (voided left out)' },
    createdAt: { labels: { en: ['Created at'] }, required: true, use: 'date' },
    currency: { labels: { en: ['Currency'] }, ignored: 'a label: amounts must all be in one currency (checked)' },
    subtotal: { labels: { en: ['Subtotal'] }, ignored: 'revenue is taken as Total − Taxes' },
    taxes: { labels: { en: ['Taxes'] }, use: 'revenue (deducted)' },
    total: { labels: { en: ['Total'] }, required: true, use: 'revenue' },
    refunded: { labels: { en: ['Refunded Amount'] }, use: 'refunds_amount' },
    cancelledAt: { labels: { en: ['Cancelled at'] }, use: 'orders (cancelled left out)' },
    lineitemQuantity: { labels: { en: ['Lineitem quantity'] }, ignored: 'line-item detail: orders are counted, not items' },
    source: { labels: { en: ['Source'] }, ignored: 'the sales channel app (web, pos...), not the acquisition channel' },
  },
  signature: ['name', 'financialStatus', 'createdAt', 'total'],
  open(file) {
    const sameCurrency = currencyGuard(file, 'currency');
    const counted = new Set<string>();
    return (row) => {
      const status = row.text('financialStatus').toLowerCase();
      if (status === '') {
        row.skip('another line item of an order (its order fields are on its first row)');
        return;
      }
      if (row.text('cancelledAt') !== '' || status === 'voided') {
        row.skip('cancelled or voided order');
        return;
      }
      const name = row.text('name');
      if (counted.has(name)) {
        row.skip('order already counted');
        return;
      }
      const date = row.day('createdAt', dayOfLocalTimestamp);
      const total = row.amount('total');
      const taxes = row.amount('taxes');
      const refunded = row.amount('refunded');
      if (date === null || total === null || !sameCurrency(row)) return;
      counted.add(name);
      const base = { date, channel: 'OTHER', campaign: '' } as const;
      row.emit({ ...base, metricKey: 'orders', valueText: '1' });
      row.emit({ ...base, metricKey: 'revenue', valueText: taxes === null ? total : subtractDecimals(total, taxes) });
      if (refunded !== null && refunded !== '0') row.emit({ ...base, metricKey: 'refunds_amount', valueText: refunded });
    };
  },
};
