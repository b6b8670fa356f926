import { DEMO_AGENCY_LOGO, DEMO_SAAS_LOGO, DEMO_SHOP_LOGO } from './demo-logos';
import { PilotageApiError, type PilotageApiClient } from './pilotage-api.client';

export const DEMO_LOGIN = { email: 'demo@pilotage.dev', password: 'pilotage-demo-2026', agencySlug: 'agence-pilote' } as const;

export interface DemoAgency {
  readonly agencyId: string;
  readonly userId: string;
  /** The demo owner's Bearer token: everything after sign-in runs as the owner. */
  readonly token: string;
  readonly clientIds: readonly string[];
  readonly created: boolean;
}

const LOGIN = `mutation DemoLogin($input: LoginInput!) { login(input: $input) { token } }`;
const SIGN_UP = `mutation DemoSignUp($input: SignUpInput!) { signUp(input: $input) { user { id } } }`;
const ME = `query DemoMe { me { user { id } agency { id } } }`;
const CLIENTS = `query DemoClients { clients(first: 100) { totalCount edges { node { id } } } }`;
const CREATE_CLIENT = `mutation DemoCreateClient($input: CreateClientInput!) { createClient(input: $input) { id } }`;
const UPDATE_AGENCY = `mutation DemoAgencyLogo($input: UpdateAgencyInput!) { updateAgency(input: $input) { id } }`;

/**
 * Proves the demo owner's address after sign-up (the API lets nobody log in before): the demo
 * marks its own owner verified in the database, a test follows the e-mailed link.
 */
export type ConfirmDemoOwner = (owner: { readonly email: string; readonly agencySlug: string }) => Promise<void>;

/**
 * The demo agency a newcomer logs into: an owner and two clients, through the API's GraphQL.
 * Idempotent: when the demo owner can log in already, the agency is reused as is.
 */
export async function seedDemoAgency(api: PilotageApiClient, confirmOwner: ConfirmDemoOwner): Promise<DemoAgency> {
  let token = await logIn(api);
  const created = token === null;
  if (token === null) {
    try {
      await api.request<{ signUp: { user: { id: string } } }>(SIGN_UP, {
        input: {
          agencyName: 'Agence Pilote',
          agencySlug: DEMO_LOGIN.agencySlug,
          email: DEMO_LOGIN.email,
          password: DEMO_LOGIN.password,
          displayName: 'Camille Martin',
          defaultLocale: 'fr',
          currency: 'EUR',
          timeZone: 'Europe/Paris',
        },
      });
    } catch (error) {
      // A previous run signed up but stopped before the confirmation: confirm and go on.
      if (!(error instanceof PilotageApiError && error.code === 'BAD_USER_INPUT')) throw error;
    }
    await confirmOwner({ email: DEMO_LOGIN.email, agencySlug: DEMO_LOGIN.agencySlug });
    token = await logIn(api);
    if (token === null) throw new Error('The demo owner cannot log in after sign-up and confirmation');
  }
  const owner = api.withToken(token);
  // Both logos on every cover: the agency's here, each client's when it is created.
  if (created) await owner.request(UPDATE_AGENCY, { input: { logoDataUri: DEMO_AGENCY_LOGO } });
  const { me } = await owner.request<{ me: { user: { id: string }; agency: { id: string } } }>(ME);
  const clientIds = await demoClients(owner);
  return { agencyId: me.agency.id, userId: me.user.id, token, clientIds, created };
}

/** The owner's token, or null when the demo owner does not exist yet. */
async function logIn(api: PilotageApiClient): Promise<string | null> {
  try {
    const { login } = await api.request<{ login: { token: string } }>(LOGIN, { input: { ...DEMO_LOGIN } });
    return login.token;
  } catch (error) {
    if (error instanceof PilotageApiError && error.code === 'UNAUTHENTICATED') return null;
    throw error;
  }
}

async function demoClients(owner: PilotageApiClient): Promise<string[]> {
  const { clients } = await owner.request<{ clients: { totalCount: number; edges: Array<{ node: { id: string } }> } }>(CLIENTS);
  if (clients.totalCount > 0) return clients.edges.map((edge) => edge.node.id);
  const shop = await owner.request<{ createClient: { id: string } }>(CREATE_CLIENT, {
    input: {
      name: 'Maison Lumière',
      businessModel: 'ECOMMERCE',
      locale: 'fr',
      currency: 'EUR',
      timeZone: 'Europe/Paris',
      reportRecipients: ['direction@maison-lumiere.example'],
      logoDataUri: DEMO_SHOP_LOGO,
      // The weekly operational report per channel (Google Ads, Meta, SEO, e-mail), every Monday.
      weeklyReportEnabled: true,
    },
  });
  const saas = await owner.request<{ createClient: { id: string } }>(CREATE_CLIENT, {
    input: {
      name: 'Cloudly',
      businessModel: 'SAAS',
      locale: 'en',
      // An American client: "$468,153", "November 2, 2026".
      formattingLocale: 'EN_US',
      currency: 'USD',
      timeZone: 'America/New_York',
      reportRecipients: ['ceo@cloudly.example'],
      logoDataUri: DEMO_SAAS_LOGO,
      weeklyReportEnabled: true,
    },
  });
  return [shop.createClient.id, saas.createClient.id];
}
