import { randomUUID } from 'node:crypto';
import type { TestApi } from './test-api';

export interface TestAgency {
  readonly agencyId: string;
  readonly userId: string;
  readonly token: string;
  readonly slug: string;
  readonly email: string;
  readonly password: string;
}

export const TEST_PASSWORD = 'a long enough password';

/**
 * A fresh agency with its owner, signed up through the API and verified the real way: the
 * token is read from the e-mail the API sent to the test's SMTP peer.
 */
export async function newAgency(api: TestApi, overrides: { name?: string; locale?: 'fr' | 'en' } = {}): Promise<TestAgency> {
  const suffix = randomUUID().slice(0, 8);
  const slug = `agency-${suffix}`;
  const email = `owner-${suffix}@example.com`;
  await api.gqlOk<{ signUp: { user: { id: string } } }>(`mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }`, {
    input: {
      agencyName: overrides.name ?? `Agency ${suffix}`,
      agencySlug: slug,
      email,
      password: TEST_PASSWORD,
      displayName: 'Owner',
      defaultLocale: overrides.locale ?? 'fr',
    },
  });
  const data = await api.gqlOk<{ verifyEmail: { token: string; user: { id: string } } }>(
    `mutation ($input: AccountTokenInput!) { verifyEmail(input: $input) { token user { id } } }`,
    { input: { token: await api.takeAccountToken(email) } },
  );
  const me = await api.gqlOk<{ me: { agency: { id: string } } }>(`{ me { agency { id } } }`, {}, data.verifyEmail.token);
  return { agencyId: me.me.agency.id, userId: data.verifyEmail.user.id, token: data.verifyEmail.token, slug, email, password: TEST_PASSWORD };
}

export interface TestClient {
  readonly id: string;
  readonly name: string;
}

export async function newClient(api: TestApi, agency: Pick<TestAgency, 'token'>, overrides: Record<string, unknown> = {}): Promise<TestClient> {
  const data = await api.gqlOk<{ createClient: TestClient }>(
    `mutation ($input: CreateClientInput!) { createClient(input: $input) { id name } }`,
    { input: { name: `Client ${randomUUID().slice(0, 6)}`, businessModel: 'ECOMMERCE', ...overrides } },
    agency.token,
  );
  return data.createClient;
}

/** Invites a CLIENT_VIEWER for `clientId` and signs them in. */
export async function newClientViewer(api: TestApi, agency: TestAgency, clientId: string): Promise<{ token: string; userId: string }> {
  const invited = await api.gqlOk<{ inviteUser: { token: string } }>(
    `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
    { input: { email: `viewer-${randomUUID().slice(0, 8)}@client.example`, displayName: 'Viewer', role: 'CLIENT_VIEWER', clientId } },
    agency.token,
  );
  const accepted = await api.gqlOk<{ acceptInvitation: { token: string; user: { id: string } } }>(
    `mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { token user { id } } }`,
    { input: { token: invited.inviteUser.token, password: TEST_PASSWORD } },
  );
  return { token: accepted.acceptInvitation.token, userId: accepted.acceptInvitation.user.id };
}

export interface PlanSpec {
  readonly clientId: string;
  readonly businessModel: string;
  readonly traits?: readonly string[];
  readonly channels: readonly string[];
  readonly coreTarget: string;
  readonly objectiveKeys: readonly string[];
  readonly selections: readonly { readonly kpiKey: string; readonly objectiveKey: string }[];
  /** Monthly targets of one year, when the plan has any. */
  readonly targets?: { readonly year: number; readonly values: readonly { readonly kpiKey: string; readonly month: number; readonly value: number }[] };
  /** Runs before the approval with the kickoff's id (a yearly target split, …). */
  readonly beforeApproval?: (kickoffId: string) => Promise<void>;
}

/** Runs a kickoff through the API (objectives, KPIs, targets) and approves it: the client's active plan. */
export async function approvePlan(api: TestApi, agency: Pick<TestAgency, 'token'>, plan: PlanSpec): Promise<string> {
  const kickoff = await api.gqlOk<{ startKickoff: { id: string } }>(
    `mutation ($input: StartKickoffInput!) { startKickoff(input: $input) { id } }`,
    { input: { clientId: plan.clientId, businessModel: plan.businessModel, traits: plan.traits ?? [], channels: plan.channels, coreTarget: plan.coreTarget } },
    agency.token,
  );
  const kickoffId = kickoff.startKickoff.id;
  await api.gqlOk(
    `mutation ($input: SetKickoffObjectivesInput!) { setKickoffObjectives(input: $input) { warnings { code } } }`,
    { input: { kickoffId, objectiveKeys: plan.objectiveKeys } },
    agency.token,
  );
  await api.gqlOk(
    `mutation ($input: SelectKickoffKpisInput!) { selectKickoffKpis(input: $input) { warnings { code } } }`,
    { input: { kickoffId, selections: plan.selections } },
    agency.token,
  );
  if (plan.targets) {
    await api.gqlOk(
      `mutation ($input: SetKickoffTargetsInput!) { setKickoffTargets(input: $input) { id } }`,
      { input: { kickoffId, year: plan.targets.year, targets: plan.targets.values } },
      agency.token,
    );
  }
  await plan.beforeApproval?.(kickoffId);
  await api.gqlOk(`mutation ($id: ID!) { approveKickoff(kickoffId: $id) { id } }`, { id: kickoffId }, agency.token);
  return kickoffId;
}
