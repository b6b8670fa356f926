import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AlertsService } from '@pilotage/alerts';
import { mapKeysetPage, type AlertEntity, type AlertSettingEntity } from '@pilotage/database';
import { AgencyStaff, Roles } from '../auth/auth.guard';
import { Alert, AlertConnection, AlertSetting } from './alert.model';
import { AlertsArgs, UpdateAlertSettingsInput } from './alert.inputs';

/**
 * A client's alerts, derived from its active plan. Owners and managers read and act on all of
 * the agency's; a client viewer reads its own client's only when the client allows it
 * (`viewerAlertsVisible`: otherwise an empty list, NOT_FOUND for one alert) and never acts
 * (FORBIDDEN). API keys: FORBIDDEN. Another agency's alert or client is NOT_FOUND.
 */
@Resolver(() => Alert)
export class AlertsResolver {
  constructor(private readonly service: AlertsService) {}

  @Roles('OWNER', 'MANAGER', 'CLIENT_VIEWER')
  @Query(() => AlertConnection, { description: 'Alerts, newest first, filtered by client, status, rule or KPI.' })
  async alerts(@Args() args: AlertsArgs): Promise<AlertConnection> {
    return mapKeysetPage(await this.service.list(args), toAlertModel);
  }

  @AgencyStaff()
  @Mutation(() => Alert, { description: 'Takes an OPEN alert (who and when are recorded); an acknowledged or resolved one is returned as it is.' })
  async acknowledgeAlert(@Args('id', { type: () => ID, description: 'Alert id.' }) id: string): Promise<Alert> {
    return toAlertModel(await this.service.acknowledge(id));
  }

  @AgencyStaff()
  @Mutation(() => Alert, { description: 'Resolves an OPEN or ACKNOWLEDGED alert by the current user; a resolved one is returned as it is.' })
  async resolveAlert(@Args('id', { type: () => ID, description: 'Alert id.' }) id: string): Promise<Alert> {
    return toAlertModel(await this.service.resolve(id));
  }

  @AgencyStaff()
  @Query(() => [AlertSetting], { description: 'A client’s alert settings: its default (kpiKey null) and its KPIs’; none set: not muted, NORMAL.' })
  async alertSettings(@Args('clientId', { type: () => ID, description: 'The client.' }) clientId: string): Promise<AlertSetting[]> {
    return (await this.service.settings(clientId)).map(toSettingModel);
  }

  @AgencyStaff()
  @Mutation(() => AlertSetting, { description: 'Mutes or unmutes a client or one of its KPIs, or sets its sensitivity. Open alerts stay.' })
  async updateAlertSettings(@Args('input') input: UpdateAlertSettingsInput): Promise<AlertSetting> {
    return toSettingModel(await this.service.updateSettings(input));
  }
}

function toAlertModel(entity: AlertEntity): Alert {
  return {
    id: entity.id,
    clientId: entity.clientId,
    rule: entity.rule,
    kpiKey: entity.kpiKey,
    periodKey: entity.periodKey,
    status: entity.status,
    severity: entity.severity,
    message: entity.message,
    details: JSON.stringify(entity.details),
    openedAt: entity.openedAt,
    acknowledgedAt: entity.acknowledgedAt,
    acknowledgedBy: entity.acknowledgedBy,
    resolvedAt: entity.resolvedAt,
    resolvedBy: entity.resolvedBy,
    lastEvaluatedAt: entity.lastEvaluatedAt,
  };
}

function toSettingModel(entity: AlertSettingEntity): AlertSetting {
  return {
    clientId: entity.clientId,
    kpiKey: entity.kpiKey === '' ? null : entity.kpiKey,
    muted: entity.muted,
    sensitivity: entity.sensitivity,
    updatedBy: entity.updatedBy,
    updatedAt: entity.updatedAt,
  };
}
