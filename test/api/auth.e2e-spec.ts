import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { newAgency, newClient, newClientViewer, TEST_PASSWORD } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { ownerPool } from '../support/test-database';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { user { id email role active } } }`;
const VERIFY_EMAIL = `mutation ($input: AccountTokenInput!) { verifyEmail(input: $input) { token } }`;
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token user { id role clientId } } }`;

describe('authentication (GraphQL)', () => {
  let api: TestApi;
  let owner: Pool;

  beforeAll(async () => {
    api = await startTestApi({ LOGIN_MAX_ATTEMPTS: '3' });
    owner = ownerPool();
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await api.close();
    await owner.end();
  }, TEARDOWN_TIMEOUT_MS);

  async function countAgencies(): Promise<number> {
    const result = await owner.query('SELECT count(*)::int AS n FROM agencies');
    return result.rows[0].n as number;
  }

  it('signs up an agency with its owner, logs in and answers me', async () => {
    const email = `Founder-${randomUUID().slice(0, 6)}@Example.com`;
    const signUp = await api.gqlOk<{ signUp: { user: { email: string; role: string; active: boolean } } }>(SIGN_UP, {
      input: { agencyName: 'Agence Étoile', email, password: TEST_PASSWORD, displayName: 'Élise', timeZone: 'America/Montreal', currency: 'CAD' },
    });
    expect(signUp.signUp.user).toEqual({ id: expect.any(String), email: email.toLowerCase(), role: 'OWNER', active: true });
    // Issue #11: the owner proves the address (link e-mailed at sign-up) before the first login.
    await api.gqlOk(VERIFY_EMAIL, { input: { token: await api.takeAccountToken(email.toLowerCase()) } });

    const login = await api.gqlOk<{ login: { token: string; user: { role: string } } }>(LOGIN, {
      input: { email, password: TEST_PASSWORD },
    });
    const me = await api.gqlOk<{ me: { user: { email: string }; agency: { name: string; slug: string; timeZone: string; currency: string } } }>(
      `{ me { user { email } agency { name slug timeZone currency } } }`,
      {},
      login.login.token,
    );
    expect(me.me.agency).toEqual({ name: 'Agence Étoile', slug: expect.stringMatching(/^agence-etoile/), timeZone: 'America/Montreal', currency: 'CAD' });

    const [{ password_hash: hash }] = (await owner.query('SELECT password_hash FROM users WHERE email = $1', [email.toLowerCase()])).rows;
    expect(hash).toMatch(/^\$argon2id\$/);
  });

  it.each([
    ['email', { email: 'not-an-email' }, /email must be a valid e-mail address/],
    ['password', { password: 'short' }, /password must be at least 12 characters/],
    ['timeZone', { timeZone: 'Mars/Olympus' }, /timeZone must be an IANA time zone/],
    ['currency', { currency: 'EURO' }, /currency must be an ISO 4217 currency code/],
  ])('rejects a sign-up with an invalid %s as BAD_USER_INPUT naming the field, writing nothing', async (field, override, message) => {
    const before = await countAgencies();
    const response = await api.gql(SIGN_UP, {
      input: { agencyName: 'Invalid', email: `x-${randomUUID()}@example.com`, password: TEST_PASSWORD, displayName: 'X', ...override },
    });
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0].message).toMatch(message);
    expect(response.errors?.[0].extensions?.fields).toEqual([{ field, message: expect.stringMatching(message) }]);
    expect(await countAgencies()).toBe(before);
  });

  it('rejects a sign-up with missing fields as BAD_USER_INPUT naming them', async () => {
    const before = await countAgencies();
    const response = await api.gql(SIGN_UP, { input: { agencyName: 'Missing' } });
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const messages = (response.errors ?? []).map((error) => error.message).join('\n');
    expect(messages).toMatch(/email/);
    expect(messages).toMatch(/password/);
    expect(await countAgencies()).toBe(before);
  });

  it('rejects a taken agency slug without writing anything', async () => {
    const agency = await newAgency(api);
    const before = await countAgencies();
    const response = await api.gql(SIGN_UP, {
      input: { agencyName: 'Copy', agencySlug: agency.slug, email: `c-${randomUUID()}@example.com`, password: TEST_PASSWORD, displayName: 'C' },
    });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'agencySlug' }] });
    expect(await countAgencies()).toBe(before);
  });

  it('refuses a wrong password and then rate limits, even the right password', async () => {
    const agency = await newAgency(api);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const wrong = await api.gql(LOGIN, { input: { email: agency.email, password: 'wrong password!' } });
      expect(wrong.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    const blocked = await api.gql(LOGIN, { input: { email: agency.email, password: agency.password } });
    expect(blocked.errors?.[0].extensions?.code).toBe('TOO_MANY_REQUESTS');
    expect(blocked.data).toBeNull();
  });

  it('answers an unknown e-mail exactly like a wrong password', async () => {
    const response = await api.gql(LOGIN, { input: { email: `nobody-${randomUUID()}@example.com`, password: 'whatever it is' } });
    expect(response.errors?.[0]).toMatchObject({ message: 'Invalid e-mail or password', extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('requires authentication for me and refuses a forged token', async () => {
    expect((await api.gql(`{ me { user { id } } }`)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const forged = `${(await newAgency(api)).token.slice(0, -4)}AAAA`;
    expect((await api.gql(`{ me { user { id } } }`, {}, forged)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('invites a client viewer bound to one client, who can then log in', async () => {
    const agency = await newAgency(api);
    const client = await newClient(api, agency);
    const viewer = await newClientViewer(api, agency, client.id);
    const me = await api.gqlOk<{ me: { user: { role: string; clientId: string; active: boolean } } }>(
      `{ me { user { role clientId active } } }`,
      {},
      viewer.token,
    );
    expect(me.me.user).toEqual({ role: 'CLIENT_VIEWER', clientId: client.id, active: true });
  });

  it('refuses to invite a viewer for another agency’s client (NOT_FOUND) and a viewer without client', async () => {
    const a = await newAgency(api);
    const b = await newAgency(api);
    const clientOfB = await newClient(api, b);
    const INVITE = `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`;
    const foreign = await api.gql(
      INVITE,
      { input: { email: `v-${randomUUID()}@x.com`, displayName: 'V', role: 'CLIENT_VIEWER', clientId: clientOfB.id } },
      a.token,
    );
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const missing = await api.gql(INVITE, { input: { email: `v-${randomUUID()}@x.com`, displayName: 'V', role: 'CLIENT_VIEWER' } }, a.token);
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'clientId' }] });
  });

  it('accepts an invitation only once', async () => {
    const agency = await newAgency(api);
    const invited = await api.gqlOk<{ inviteUser: { token: string } }>(
      `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
      { input: { email: `m-${randomUUID()}@example.com`, displayName: 'Manon', role: 'MANAGER' } },
      agency.token,
    );
    const ACCEPT = `mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { user { role } } }`;
    const first = await api.gqlOk<{ acceptInvitation: { user: { role: string } } }>(ACCEPT, {
      input: { token: invited.inviteUser.token, password: TEST_PASSWORD },
    });
    expect(first.acceptInvitation.user.role).toBe('MANAGER');
    const second = await api.gql(ACCEPT, { input: { token: invited.inviteUser.token, password: TEST_PASSWORD } });
    expect(second.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'token' }] });
  });

  it('stops a client viewer from inviting anyone', async () => {
    const agency = await newAgency(api);
    const client = await newClient(api, agency);
    const viewer = await newClientViewer(api, agency, client.id);
    const response = await api.gql(
      `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
      { input: { email: `v-${randomUUID()}@x.com`, displayName: 'V', role: 'CLIENT_VIEWER', clientId: client.id } },
      viewer.token,
    );
    expect(response.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
