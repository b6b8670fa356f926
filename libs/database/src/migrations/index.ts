import { InitialSchema1795332610308 } from './1795332610308-initial-schema';
import { TenantSecurity1795332700000 } from './1795332700000-tenant-security';
import { KickoffAndPlans1795340000000 } from './1795340000000-kickoff-and-plans';
import { MetricValues1795350000000 } from './1795350000000-metric-values';
import { MetricMonthly1795360000000 } from './1795360000000-metric-monthly';
import { Reports1795370000000 } from './1795370000000-reports';
import { ReportBatches1795380000000 } from './1795380000000-report-batches';
import { ReportRetryPending1795390000000 } from './1795390000000-report-retry-pending';
import { Accounts1795410000000 } from './1795410000000-accounts';
import { LeastPrivilege1795420000000 } from './1795420000000-least-privilege';
import { ClientFormattingLocale1795430000000 } from './1795430000000-client-formatting-locale';
import { ChannelDimension1795440000000 } from './1795440000000-channel-dimension';
import { ApiKeys1795450000000 } from './1795450000000-api-keys';
import { ColumnMappings1795460000000 } from './1795460000000-column-mappings';
import { WeeklyReportOptIn1795470000000 } from './1795470000000-weekly-report-opt-in';
import { DataConnections1795480000000 } from './1795480000000-data-connections';
import { AlertsAndWebhooks1795490000000 } from './1795490000000-alerts-and-webhooks';

/** Every migration, in order. Listed explicitly (no glob) so ts-jest and the build agree. */
export const MIGRATIONS = [
  InitialSchema1795332610308,
  TenantSecurity1795332700000,
  KickoffAndPlans1795340000000,
  MetricValues1795350000000,
  MetricMonthly1795360000000,
  Reports1795370000000,
  ReportBatches1795380000000,
  ReportRetryPending1795390000000,
  Accounts1795410000000,
  LeastPrivilege1795420000000,
  ClientFormattingLocale1795430000000,
  ChannelDimension1795440000000,
  ApiKeys1795450000000,
  ColumnMappings1795460000000,
  WeeklyReportOptIn1795470000000,
  DataConnections1795480000000,
  AlertsAndWebhooks1795490000000,
];
