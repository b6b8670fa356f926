import { dayOfUtcTimestamp } from '../export-day.readers';
import type { ExportPreset } from '../export-preset.types';
import { currencyGuard, subtractDecimals } from './preset-support';

type StripePaymentsRole =
  | 'id'
  | 'created'
  | 'amount'
  | 'amountRefunded'
  | 'currency'
  | 'convertedAmount'
  | 'convertedRefunded'
  | 'convertedCurrency'
  | 'tax'
  | 'fee'
  | 'status'
  | 'captured';

/** Statuses of money actually received (the Dashboard's Payments list, "Status" column). */
const PAID_STATUSES = new Set(['paid', 'succeeded', 'refunded', 'partially refunded', 'partially_refunded']);

/**
 * Stripe payments export (Dashboard > Payments > Export, "unified payments"; Stripe Docs
 * "Exporting payment data"): one row per payment, amounts in major units, `Created date (UTC)`
 * (older files: `Created (UTC)`). Amounts are taken converted to the account's currency when
 * the file has those columns, so that payments in several currencies add up. Revenue is
 * Amount − Tax (our revenue excludes taxes); failed, cancelled or uncaptured payments are
 * skipped. English only: Stripe writes export headers in English.
 */
export const STRIPE_PAYMENTS_PRESET: ExportPreset<StripePaymentsRole> = {
  id: 'STRIPE_PAYMENTS',
  name: 'Stripe payments export',
  platform: 'Stripe',
  columns: {
    id: { labels: { en: ['id'] }, ignored: 'payment identifier' },
    created: { labels: { en: ['Created date (UTC)', 'Created (UTC)'] }, required: true, use: 'date (in the client’s time zone)' },
    amount: { labels: { en: ['Amount'] }, required: true, use: 'revenue' },
    amountRefunded: { labels: { en: ['Amount Refunded'] }, use: 'refunds_amount' },
    currency: { labels: { en: ['Currency'] }, ignored: 'a label: amounts must all be in one currency (checked)' },
    convertedAmount: { labels: { en: ['Converted Amount'] }, use: 'revenue (in the account currency)' },
    convertedRefunded: { labels: { en: ['Converted Amount Refunded'] }, use: 'refunds_amount (in the account currency)' },
    convertedCurrency: { labels: { en: ['Converted Currency'] }, ignored: 'a label: the account currency' },
    tax: { labels: { en: ['Tax'] }, use: 'revenue (deducted)' },
    fee: { labels: { en: ['Fee'] }, ignored: 'processing fees are a cost, not revenue' },
    status: { labels: { en: ['Status'] }, required: true, use: 'payments kept (paid or refunded)' },
    captured: { labels: { en: ['Captured'] }, use: 'payments kept (captured)' },
  },
  signature: ['created', 'amount', 'status'],
  open(file) {
    const converted = (row: { has(role: StripePaymentsRole): boolean }): boolean => row.has('convertedAmount');
    const sameCurrency = currencyGuard<StripePaymentsRole>(file, 'currency');
    const readDay = dayOfUtcTimestamp(file.timeZone);
    return (row) => {
      const status = row.text('status').toLowerCase();
      if (!PAID_STATUSES.has(status)) {
        row.skip(`status "${row.text('status')}": no money received`);
        return;
      }
      if (row.text('captured').toLowerCase() === 'false') {
        row.skip('authorised but never captured');
        return;
      }
      const date = row.day('created', readDay);
      const useConverted = converted(row);
      const amount = row.amount(useConverted ? 'convertedAmount' : 'amount');
      const refunded = row.amount(useConverted ? 'convertedRefunded' : 'amountRefunded');
      const tax = row.amount('tax');
      const currency = useConverted ? row.text('convertedCurrency') : row.text('currency');
      if (date === null || amount === null || !sameCurrency(row, currency)) return;
      const base = { date, channel: 'OTHER', campaign: '' } as const;
      row.emit({ ...base, metricKey: 'revenue', valueText: tax === null ? amount : subtractDecimals(amount, tax) });
      if (refunded !== null && refunded !== '0') row.emit({ ...base, metricKey: 'refunds_amount', valueText: refunded });
    };
  },
};

type StripeBalanceRole = 'id' | 'created' | 'category' | 'gross' | 'fee' | 'net' | 'currency';

/**
 * Stripe "Balance change from activity" itemized report (Reports > Balance > Download;
 * Stripe Docs "Balance report" / reporting categories): one row per balance transaction,
 * `created_utc`, `reporting_category`, `gross`. Charges are revenue (gross), refunds are
 * refunds_amount (their gross is negative: stored as a positive amount refunded); payouts,
 * fees and transfers move money without being a sale, and are skipped.
 */
export const STRIPE_BALANCE_PRESET: ExportPreset<StripeBalanceRole> = {
  id: 'STRIPE_BALANCE',
  name: 'Stripe balance report',
  platform: 'Stripe',
  columns: {
    id: { labels: { en: ['balance_transaction_id'] }, ignored: 'transaction identifier' },
    created: { labels: { en: ['created_utc', 'created'] }, required: true, use: 'date (in the client’s time zone)' },
    category: { labels: { en: ['reporting_category'] }, required: true, use: 'revenue (charge) or refunds_amount (refund)' },
    gross: { labels: { en: ['gross'] }, required: true, use: 'revenue, refunds_amount' },
    fee: { labels: { en: ['fee'] }, ignored: 'processing fees are a cost, not revenue' },
    net: { labels: { en: ['net'] }, ignored: 'gross minus fees: revenue is gross' },
    currency: { labels: { en: ['currency'] }, ignored: 'a label: amounts must all be in one currency (checked)' },
  },
  signature: ['category', 'gross', 'created'],
  open(file) {
    const sameCurrency = currencyGuard<StripeBalanceRole>(file, 'currency');
    const readDay = dayOfUtcTimestamp(file.timeZone);
    return (row) => {
      const category = row.text('category').toLowerCase();
      if (category !== 'charge' && category !== 'refund') {
        row.skip(`reporting category "${row.text('category')}": not a sale or a refund`);
        return;
      }
      const date = row.day('created', readDay);
      const gross = row.amount('gross');
      if (date === null || gross === null || !sameCurrency(row)) return;
      const base = { date, channel: 'OTHER', campaign: '' } as const;
      if (category === 'charge') row.emit({ ...base, metricKey: 'revenue', valueText: gross });
      else row.emit({ ...base, metricKey: 'refunds_amount', valueText: gross.startsWith('-') ? gross.slice(1) : gross });
    };
  },
};
