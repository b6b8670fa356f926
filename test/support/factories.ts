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
