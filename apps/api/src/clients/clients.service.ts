import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AgencyEntity,
  assertClientNotArchived,
  assertTenantCanWrite,
  ClientEntity,
  currentTenant,
  findVisibleClient,
  keysetPage,
  mapKeysetPage,
  recordAudit,
  TenantDatabase,
  UserEntity,
} from '@pilotage/database';
import { BadUserInputError } from '@pilotage/common';
import { formattingLocaleFor } from '@pilotage/kpi';
import type { Client, ClientConnection } from './client.model';
import type { ClientsArgs, CreateClientInput, UpdateClientInput } from './dto/client.inputs';

export function toClientModel(entity: ClientEntity): Client {
  return {
    id: entity.id,
    name: entity.name,
    businessModel: entity.businessModel,
    locale: entity.locale,
    formattingLocale: formattingLocaleFor(entity.locale, entity.formattingLocale),
    currency: entity.currency,
    timeZone: entity.timeZone,
    reportRecipients: entity.reportRecipients,
    logoDataUri: entity.logoDataUri,
    primaryColor: entity.primaryColor,
    weeklyReportEnabled: entity.weeklyReportEnabled,
    reportDeliveryMode: entity.reportDeliveryMode,
    projectManagerId: entity.projectManagerId,
    viewerAlertsVisible: entity.viewerAlertsVisible,
    archived: entity.archivedAt !== null,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

/**
 * Clients of the current agency. Row-level security already hides other agencies' rows; the
 * explicit `agency_id` filters keep index use and make intent obvious. A CLIENT_VIEWER is
 * narrowed to their own client here.
 */
@Injectable()
export class ClientsService {
  constructor(private readonly db: TenantDatabase) {}

  async list(args: ClientsArgs): Promise<ClientConnection> {
    const tenant = currentTenant();
    return this.db.run(async (manager) => {
      const query = manager.createQueryBuilder(ClientEntity, 'client').where('client.agencyId = :agencyId', { agencyId: tenant.agencyId });
      // A viewer's access ends with the archiving of their client, whatever they ask for.
      if (!args.includeArchived || tenant.role === 'CLIENT_VIEWER') query.andWhere('client.archivedAt IS NULL');
      if (tenant.role === 'CLIENT_VIEWER') query.andWhere('client.id = :clientId', { clientId: tenant.clientId });
      // An API key limited to some clients lists those only.
      if (tenant.clientIds) query.andWhere('client.id IN (:...clientIds)', { clientIds: [...tenant.clientIds] });
      const page = await keysetPage(query, args, { alias: 'client', sortBy: 'createdAt', direction: 'ASC' });
      return mapKeysetPage(page, toClientModel);
    });
  }

  async get(id: string): Promise<Client> {
    return this.db.run(async (manager) => toClientModel(await this.findVisible(manager, id)));
  }

  async create(input: CreateClientInput): Promise<Client> {
    const tenant = currentTenant();
    return this.db.run(async (manager) => {
      const agency = await manager.findOneByOrFail(AgencyEntity, { id: tenant.agencyId });
      const entity = manager.create(ClientEntity, {
        agencyId: tenant.agencyId,
        id: randomUUID(),
        name: input.name.trim(),
        businessModel: input.businessModel,
        locale: input.locale ?? agency.defaultLocale,
        formattingLocale: input.formattingLocale ?? null,
        currency: input.currency ?? agency.currency,
        timeZone: input.timeZone ?? agency.timeZone,
        reportRecipients: (input.reportRecipients ?? []).map((email) => email.trim().toLowerCase()),
        logoDataUri: input.logoDataUri ?? null,
        primaryColor: input.primaryColor ?? null,
        weeklyReportEnabled: input.weeklyReportEnabled ?? false,
        archivedAt: null,
      });
      await manager.insert(ClientEntity, entity);
      await recordAudit(manager, { action: 'client.created', entityType: 'client', entityId: entity.id, data: { name: entity.name } });
      return toClientModel(await manager.findOneByOrFail(ClientEntity, { agencyId: tenant.agencyId, id: entity.id }));
    });
  }

  async update(input: UpdateClientInput): Promise<Client> {
    return this.db.run(async (manager) => {
      const entity = await this.findVisible(manager, input.id);
      assertClientNotArchived(entity);
      const changes: Partial<ClientEntity> = {};
      if (input.name !== undefined) changes.name = input.name.trim();
      if (input.businessModel !== undefined) changes.businessModel = input.businessModel;
      if (input.locale !== undefined) changes.locale = input.locale;
      if (input.formattingLocale !== undefined) changes.formattingLocale = input.formattingLocale;
      if (input.logoDataUri !== undefined) changes.logoDataUri = input.logoDataUri;
      if (input.currency !== undefined) changes.currency = input.currency;
      if (input.timeZone !== undefined) changes.timeZone = input.timeZone;
      if (input.reportRecipients !== undefined) changes.reportRecipients = input.reportRecipients.map((e) => e.trim().toLowerCase());
      if (input.primaryColor !== undefined) changes.primaryColor = input.primaryColor;
      if (input.weeklyReportEnabled !== undefined && input.weeklyReportEnabled !== null) changes.weeklyReportEnabled = input.weeklyReportEnabled;
      if (input.reportDeliveryMode !== undefined && input.reportDeliveryMode !== null) changes.reportDeliveryMode = input.reportDeliveryMode;
      if (input.viewerAlertsVisible !== undefined && input.viewerAlertsVisible !== null) changes.viewerAlertsVisible = input.viewerAlertsVisible;
      if (input.projectManagerId !== undefined) {
        if (input.projectManagerId !== null) await this.assertProjectManager(manager, input.projectManagerId);
        changes.projectManagerId = input.projectManagerId;
      }
      Object.assign(entity, changes);
      await manager.save(ClientEntity, entity);
      await recordAudit(manager, { action: 'client.updated', entityType: 'client', entityId: entity.id, data: { changes: Object.keys(changes) } });
      return toClientModel(entity);
    });
  }

  /** A project manager is agency staff who can act on the client's reports and alerts: an OWNER or MANAGER of the same agency. */
  private async assertProjectManager(manager: EntityManager, userId: string): Promise<void> {
    const user = await manager.findOneBy(UserEntity, { agencyId: currentTenant().agencyId, id: userId });
    if (user === null || (user.role !== 'OWNER' && user.role !== 'MANAGER')) {
      throw BadUserInputError.forField('projectManagerId', 'must be an OWNER or MANAGER user of the agency');
    }
  }

  async archive(id: string): Promise<Client> {
    return this.db.run(async (manager) => {
      const entity = await this.findVisible(manager, id);
      if (entity.archivedAt === null) {
        entity.archivedAt = new Date();
        await manager.save(ClientEntity, entity);
        await recordAudit(manager, { action: 'client.archived', entityType: 'client', entityId: entity.id });
      }
      return toClientModel(entity);
    });
  }

  /** See {@link findVisibleClient}. */
  findVisible(manager: EntityManager, id: string): Promise<ClientEntity> {
    return findVisibleClient(manager, id);
  }

  /** See {@link assertTenantCanWrite}. */
  assertCanWrite(): void {
    assertTenantCanWrite();
  }
}
