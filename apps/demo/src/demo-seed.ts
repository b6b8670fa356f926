import type { INestApplication } from '@nestjs/common';
import { runWithTenant, TenantDatabase } from '@pilotage/database';
import { AuthService } from '../auth/auth.service';
import { TokenService } from '../auth/token.service';
import { ClientsService } from '../clients/clients.service';

export const DEMO_LOGIN = { email: 'demo@pilotage.dev', password: 'pilotage-demo-2026', agencySlug: 'agence-pilote' } as const;

export interface DemoAgency {
  readonly agencyId: string;
  readonly userId: string;
  readonly clientIds: readonly string[];
  readonly created: boolean;
}

/**
 * The demo agency a newcomer logs into: an owner and two clients. Idempotent: when the demo
 * owner exists already it is reused as is.
 */
export async function seedDemoAgency(app: INestApplication): Promise<DemoAgency> {
  const db = app.get(TenantDatabase);
  const auth = app.get(AuthService);
  const tokens = app.get(TokenService);
  const existing = await db.runWithoutTenant((manager) =>
    manager.query<{ agency_id: string; user_id: string }[]>(`SELECT agency_id, user_id FROM login_directory WHERE email = $1 AND agency_slug = $2`, [
      DEMO_LOGIN.email,
      DEMO_LOGIN.agencySlug,
    ]),
  );
  let agencyId: string;
  let userId: string;
  let created = false;
  if (existing.length > 0) {
    agencyId = existing[0].agency_id;
    userId = existing[0].user_id;
  } else {
    const payload = await auth.signUp({
      agencyName: 'Agence Pilote',
      agencySlug: DEMO_LOGIN.agencySlug,
      email: DEMO_LOGIN.email,
      password: DEMO_LOGIN.password,
      displayName: 'Camille Martin',
      defaultLocale: 'fr',
      currency: 'EUR',
      timeZone: 'Europe/Paris',
    });
    const principal = tokens.verify(payload.token);
    if (!principal) throw new Error('Demo owner token could not be verified');
    agencyId = principal.agencyId;
    userId = principal.userId;
    created = true;
  }
  const clients = app.get(ClientsService);
  const context = { agencyId, userId, role: 'OWNER' as const, clientId: null };
  const clientIds = await runWithTenant(context, async () => {
    const list = await clients.list({ first: 100, includeArchived: false });
    if (list.totalCount > 0) return list.edges.map((edge) => edge.node.id);
    const shop = await clients.create({
      name: 'Maison Lumière',
      businessModel: 'ECOMMERCE',
      locale: 'fr',
      currency: 'EUR',
      timeZone: 'Europe/Paris',
      reportRecipients: ['direction@maison-lumiere.example'],
    });
    const saas = await clients.create({
      name: 'Cloudly',
      businessModel: 'SAAS',
      locale: 'en',
      currency: 'USD',
      timeZone: 'America/New_York',
      reportRecipients: ['ceo@cloudly.example'],
    });
    return [shop.id, saas.id];
  });
  return { agencyId, userId, clientIds, created };
}
