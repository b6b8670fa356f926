import { Injectable } from '@nestjs/common';
import { loadAgencyCatalog } from '@pilotage/analytics';
import { BadUserInputError, ForbiddenError, NotFoundError } from '@pilotage/common';
import {
  acknowledgeAlert,
  assertClientNotArchived,
  currentTenant,
  findAlert,
  findAlertSettings,
  findAlertsPage,
  findVisibleClient,
  isUuid,
  mayReachClient,
  resolveAlertByUser,
  TenantDatabase,
  upsertAlertSetting,
  type AlertEntity,
  type AlertRule,
  type AlertSensitivity,
  type AlertSettingEntity,
  type AlertStatus,
  type KeysetPage,
  type KeysetPageRequest,
} from '@pilotage/database';
import type { EntityManager } from 'typeorm';

/** Filters of `alerts`. */
export interface AlertListRequest extends KeysetPageRequest {
  readonly clientId?: string | null;
  readonly status?: AlertStatus | null;
  readonly rule?: AlertRule | null;
  readonly kpiKey?: string | null;
}

const EMPTY_PAGE: KeysetPage<AlertEntity> = { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };

/**
 * The alerts as people see and act on them. Owners and managers see and act on all of the
 * agency's; a client viewer reads only its own client's, and only when the client's
 * `viewerAlertsVisible` is on (otherwise an empty list and NOT_FOUND for one alert); it never acts
 * (the resolver refuses it first; the service checks again). Another agency's alert is NOT_FOUND.
 */
@Injectable()
export class AlertsService {
  constructor(private readonly db: TenantDatabase) {}

  list(request: AlertListRequest): Promise<KeysetPage<AlertEntity>> {
    return this.db.run(async (manager) => {
      const tenant = currentTenant();
      let clientIds: readonly string[] | null = tenant.clientIds ?? null;
      if (request.clientId) {
        const client = await findVisibleClient(manager, request.clientId);
        clientIds = [client.id];
      }
      if (tenant.role === 'CLIENT_VIEWER') {
        if (tenant.clientId === null) return EMPTY_PAGE;
        const client = await findVisibleClient(manager, tenant.clientId);
        if (!client.viewerAlertsVisible) return EMPTY_PAGE;
        clientIds = [client.id];
      }
      return findAlertsPage(manager, { agencyId: tenant.agencyId, clientIds, status: request.status, rule: request.rule, kpiKey: request.kpiKey }, request);
    });
  }

  /** One alert the current user may read; NOT_FOUND otherwise. */
  get(id: string): Promise<AlertEntity> {
    return this.db.run((manager) => this.visibleAlert(manager, id));
  }

  acknowledge(id: string): Promise<AlertEntity> {
    return this.db.run(async (manager) => {
      const alert = await this.actionableAlert(manager, id);
      return (await acknowledgeAlert(manager, alert.agencyId, alert.id, currentTenant().userId)) ?? alert;
    });
  }

  resolve(id: string): Promise<AlertEntity> {
    return this.db.run(async (manager) => {
      const alert = await this.actionableAlert(manager, id);
      return (await resolveAlertByUser(manager, alert.agencyId, alert.id, currentTenant().userId)) ?? alert;
    });
  }

  settings(clientId: string): Promise<AlertSettingEntity[]> {
    return this.db.run(async (manager) => {
      assertStaff();
      const client = await findVisibleClient(manager, clientId);
      return findAlertSettings(manager, client.agencyId, client.id);
    });
  }

  /** Sets the client's default (`kpiKey` absent) or one KPI's setting. BAD_USER_INPUT on `kpiKey` for a KPI the agency does not know. */
  updateSettings(input: {
    clientId: string;
    kpiKey?: string | null;
    muted?: boolean | null;
    sensitivity?: AlertSensitivity | null;
  }): Promise<AlertSettingEntity> {
    return this.db.run(async (manager) => {
      assertStaff();
      const client = await findVisibleClient(manager, input.clientId);
      assertClientNotArchived(client);
      const kpiKey = input.kpiKey ?? '';
      if (kpiKey !== '' && !(await loadAgencyCatalog(manager)).findKpi(kpiKey)) throw BadUserInputError.forField('kpiKey', `unknown KPI "${kpiKey}"`);
      return upsertAlertSetting(manager, {
        agencyId: client.agencyId,
        clientId: client.id,
        kpiKey,
        muted: input.muted,
        sensitivity: input.sensitivity,
        updatedBy: currentTenant().userId,
      });
    });
  }

  private async visibleAlert(manager: EntityManager, id: string): Promise<AlertEntity> {
    const tenant = currentTenant();
    if (!isUuid(id)) throw new NotFoundError('Alert', id);
    const alert = await findAlert(manager, tenant.agencyId, id);
    if (alert === null || !mayReachClient(tenant, alert.clientId)) throw new NotFoundError('Alert', id);
    if (tenant.role === 'CLIENT_VIEWER') {
      if (tenant.clientId !== alert.clientId) throw new NotFoundError('Alert', id);
      const client = await findVisibleClient(manager, alert.clientId);
      if (!client.viewerAlertsVisible) throw new NotFoundError('Alert', id);
    }
    return alert;
  }

  private async actionableAlert(manager: EntityManager, id: string): Promise<AlertEntity> {
    assertStaff();
    return this.visibleAlert(manager, id);
  }
}

function assertStaff(): void {
  const role = currentTenant().role;
  if (role !== 'OWNER' && role !== 'MANAGER' && role !== 'SYSTEM') throw new ForbiddenError('Only owners and managers act on alerts');
}
