import { AlertSettingEntity } from './alert-setting.entity';
import { AlertEntity } from './alert.entity';
import { ReportRestatementEntity } from './report-restatement.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { DataConnectionAuthorizationEntity } from './data-connection-authorization.entity';
import { DataConnectionEntity } from './data-connection.entity';
import { SyncRunEntity } from './sync-run.entity';
import { AgencyEntity } from './agency.entity';
import { AuditLogEntryEntity } from './audit-log-entry.entity';
import { ClientEntity } from './client.entity';
import { CustomKpiEntity } from './custom-kpi.entity';
import { CustomMetricEntity } from './custom-metric.entity';
import { KickoffKpiEntity } from './kickoff-kpi.entity';
import { KickoffTargetEntity } from './kickoff-target.entity';
import { KickoffEntity } from './kickoff.entity';
import { KpiPlanEntity } from './kpi-plan.entity';
import { MonthlyTargetEntity } from './monthly-target.entity';
import { PlanKpiEntity } from './plan-kpi.entity';
import { ReportBatchEntity } from './report-batch.entity';
import { ReportDeliveryEntity } from './report-delivery.entity';
import { ReportEntity } from './report.entity';
import { MetricImportEntity } from './metric-import.entity';
import { MetricMonthlyEntity } from './metric-monthly.entity';
import { MetricValueEntity } from './metric-value.entity';
import { ClientSourceChannelEntity } from './client-source-channel.entity';
import { UserEntity } from './user.entity';
import { UserSessionEntity } from './user-session.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { AccountTokenEntity } from './account-token.entity';
import { ApiKeyEntity } from './api-key.entity';
import { ClientColumnMappingEntity } from './client-column-mapping.entity';

export { AgencyEntity, AuditLogEntryEntity, ClientEntity, UserEntity };
export { REPORT_DELIVERY_MODES, type ReportDeliveryMode } from './client.entity';
export { USER_ROLES, type UserRole } from './user.entity';
export { UserSessionEntity, RefreshTokenEntity, AccountTokenEntity };
export { ClientColumnMappingEntity, type StoredColumnMapping } from './client-column-mapping.entity';
export { ACCOUNT_TOKEN_PURPOSES, type AccountTokenPurpose } from './account-token.entity';
export { ApiKeyEntity, API_KEY_SCOPES, type ApiKeyScope } from './api-key.entity';
export { CustomKpiEntity, CustomMetricEntity, KickoffEntity, KickoffKpiEntity, KickoffTargetEntity, KpiPlanEntity, MonthlyTargetEntity, PlanKpiEntity };
export { KICKOFF_STATUSES, type KickoffStatus } from './kickoff.entity';
export { KPI_PLAN_STATUSES, type KpiPlanStatus } from './kpi-plan.entity';
export { MetricMonthlyEntity } from './metric-monthly.entity';
export { ReportEntity, REPORT_KINDS, REPORT_STATUSES, type ReportKind, type ReportStatus } from './report.entity';
export { ReportBatchEntity } from './report-batch.entity';
export { ReportDeliveryEntity, REPORT_DELIVERY_STATUSES, type ReportDeliveryStatus } from './report-delivery.entity';
export { ClientSourceChannelEntity } from './client-source-channel.entity';
export { MetricValueEntity, METRIC_GRANULARITIES, type MetricGranularity } from './metric-value.entity';
export {
  MetricImportEntity,
  METRIC_IMPORT_KINDS,
  METRIC_IMPORT_STATUSES,
  type MetricImportErrorSummary,
  type MetricImportKind,
  type MetricImportStatus,
} from './metric-import.entity';

export { DATA_CONNECTION_STATUSES, DATA_PROVIDERS, DataConnectionEntity, type DataConnectionStatus, type DataProvider } from './data-connection.entity';
export { DataConnectionAuthorizationEntity } from './data-connection-authorization.entity';
export { SYNC_RUN_KINDS, SYNC_RUN_STATUSES, SyncRunEntity, type SyncRunKind, type SyncRunStatus } from './sync-run.entity';

export { ALERT_RULES, ALERT_SEVERITIES, ALERT_STATUSES, AlertEntity, type AlertRule, type AlertSeverity, type AlertStatus } from './alert.entity';
export { ALERT_SENSITIVITIES, AlertSettingEntity, type AlertSensitivity } from './alert-setting.entity';
export { WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS, WebhookEndpointEntity, type WebhookEventType, type WebhookFormat } from './webhook-endpoint.entity';
export { WEBHOOK_DELIVERY_STATUSES, WebhookDeliveryEntity, type WebhookDeliveryStatus } from './webhook-delivery.entity';
export { ReportRestatementEntity } from './report-restatement.entity';

/** Every entity of the application, in one list for the DataSource. */
export const ENTITIES = [
  AgencyEntity,
  ClientEntity,
  UserEntity,
  AuditLogEntryEntity,
  MetricImportEntity,
  MetricValueEntity,
  MetricMonthlyEntity,
  ClientSourceChannelEntity,
  CustomMetricEntity,
  CustomKpiEntity,
  KickoffEntity,
  KickoffKpiEntity,
  KickoffTargetEntity,
  KpiPlanEntity,
  PlanKpiEntity,
  MonthlyTargetEntity,
  ReportEntity,
  ReportDeliveryEntity,
  ReportBatchEntity,
  UserSessionEntity,
  RefreshTokenEntity,
  AccountTokenEntity,
  ApiKeyEntity,
  ClientColumnMappingEntity,
  DataConnectionEntity,
  DataConnectionAuthorizationEntity,
  SyncRunEntity,
  AlertEntity,
  AlertSettingEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  ReportRestatementEntity,
];
