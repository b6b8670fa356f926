import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { newAgency, newClient, TEST_PASSWORD, type TestAgency } from '../support/factories';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from '../support/test-api';
import { APP_BOOT_TIMEOUT_MS, E2E_TEST_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { user { id emailVerified } verificationExpiresAt } }`;
const VERIFY_EMAIL = `mutation ($input: AccountTokenInput!) { verifyEmail(input: $input) { token refreshToken user { email emailVerified } } }`;
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token refreshToken user { id } } }`;
const REFRESH = `mutation ($input: RefreshSessionInput!) { refreshSession(input: $input) { token refreshToken } }`;
const ME = `{ me { user { id role clientId } } }`;
const CLIENTS = `{ clients(first: 5) { totalCount } }`;
const SESSIONS = `{ sessions { id current } }`;
const INVITE = `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token user { id } } }`;
const ACCEPT = `mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { token user { id } } }`;
const REQUEST_RESET = `mutation ($input: EmailAddressInput!) { requestPasswordReset(input: $input) }`;
const RESET = `mutation ($input: ResetPasswordInput!) { resetPassword(input: $input) }`;
const NEW_PASSWORD = 'another quite long passphrase';

const signUpInput = (email: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  agencyName: `Agency ${randomUUID().slice(0, 6)}`,
  email,
  password: TEST_PASSWORD,
  displayName: 'Someone',
  ...overrides,
});

/** Issue #11, "No account lifecycle" and weak passwords: one test per hole found. */
describe('account lifecycle (security)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await api.close();
  }, TEARDOWN_TIMEOUT_MS);

  async function login(agency: Pick<TestAgency, 'email'>, password = TEST_PASSWORD): Promise<{ token: string; refreshToken: string; user: { id: string } }> {
    return (await api.gqlOk<{ login: { token: string; refreshToken: string; user: { id: string } } }>(LOGIN, { input: { email: agency.email, password } }))
      .login;
  }

  async function invitedManager(owner: TestAgency): Promise<{ token: string; userId: string }> {
    const invited = await api.gqlOk<{ inviteUser: { token: string } }>(
      INVITE,
      { input: { email: `m-${randomUUID().slice(0, 8)}@example.com`, displayName: 'Manon', role: 'MANAGER' } },
      owner.token,
    );
    const accepted = await api.gqlOk<{ acceptInvitation: { token: string; user: { id: string } } }>(ACCEPT, {
      input: { token: invited.inviteUser.token, password: TEST_PASSWORD },
    });
    return { token: accepted.acceptInvitation.token, userId: accepted.acceptInvitation.user.id };
  }

  const code = (response: { errors?: Array<{ extensions?: { code?: string } }> }): string | undefined => response.errors?.[0]?.extensions?.code;

  it(
    'ends a revoked session at once (revokeSession, logout)',
    async () => {
      const agency = await newAgency(api);
      const laptop = await login(agency);
      const phone = await login(agency);
      const fromLaptop = await api.gqlOk<{ sessions: Array<{ id: string; current: boolean }> }>(SESSIONS, {}, laptop.token);
      const fromPhone = await api.gqlOk<{ sessions: Array<{ id: string; current: boolean }> }>(SESSIONS, {}, phone.token);
      const phoneId = fromPhone.sessions.find((session) => session.current)?.id;
      expect(fromLaptop.sessions.filter((session) => session.current)).toHaveLength(1);
      expect(fromLaptop.sessions.map((session) => session.id)).toContain(phoneId);
      await api.gqlOk(`mutation ($id: ID!) { revokeSession(id: $id) }`, { id: phoneId }, laptop.token);
      expect(code(await api.gql(ME, {}, phone.token))).toBe('UNAUTHENTICATED');
      expect(code(await api.gql(REFRESH, { input: { refreshToken: phone.refreshToken } }))).toBe('UNAUTHENTICATED');

      await api.gqlOk(`mutation { logout }`, {}, laptop.token);
      expect(code(await api.gql(ME, {}, laptop.token))).toBe('UNAUTHENTICATED');
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'cuts a removed user off at once, and keeps the last owner',
    async () => {
      const owner = await newAgency(api);
      const manager = await invitedManager(owner);
      expect(code(await api.gql(CLIENTS, {}, manager.token))).toBeUndefined();
      await api.gqlOk(`mutation ($id: ID!) { removeUser(id: $id) }`, { id: manager.userId }, owner.token);
      expect(code(await api.gql(CLIENTS, {}, manager.token))).toBe('UNAUTHENTICATED');
      const last = await api.gql(`mutation ($id: ID!) { removeUser(id: $id) }`, { id: owner.userId }, owner.token);
      expect(last.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'LAST_OWNER' });
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'gives a demoted user the new role on the next request',
    async () => {
      const owner = await newAgency(api);
      const client = await newClient(api, owner);
      const manager = await invitedManager(owner);
      const createClient = `mutation { createClient(input: { name: "Staff only", businessModel: SAAS }) { id } }`;
      expect(code(await api.gql(createClient, {}, manager.token))).toBeUndefined();
      await api.gqlOk(
        `mutation ($input: ChangeUserRoleInput!) { changeUserRole(input: $input) { role } }`,
        { input: { userId: manager.userId, role: 'CLIENT_VIEWER', clientId: client.id } },
        owner.token,
      );
      expect(code(await api.gql(createClient, {}, manager.token))).toBe('FORBIDDEN');
      const me = await api.gqlOk<{ me: { user: { role: string; clientId: string } } }>(ME, {}, manager.token);
      expect(me.me.user).toMatchObject({ role: 'CLIENT_VIEWER', clientId: client.id });
      const demoteLast = await api.gql(
        `mutation ($input: ChangeUserRoleInput!) { changeUserRole(input: $input) { role } }`,
        { input: { userId: owner.userId, role: 'MANAGER' } },
        owner.token,
      );
      expect(demoteLast.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'LAST_OWNER' });
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'refuses a well-signed token for a user id that never existed',
    async () => {
      const agency = await newAgency(api);
      await newClient(api, agency);
      const forged = jwt.sign({ sub: randomUUID(), agency: agency.agencyId, sid: randomUUID(), role: 'OWNER', client: null }, TEST_JWT_SECRET, {
        algorithm: 'HS256',
        expiresIn: 600,
        issuer: 'pilotage',
        audience: 'pilotage:access',
      });
      const response = await api.gql(CLIENTS, {}, forged);
      expect(code(response)).toBe('UNAUTHENTICATED');
      expect(response.data).toBeNull();
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'lets nobody break a login by signing up with the same e-mail elsewhere',
    async () => {
      const victim = await newAgency(api);
      await api.gqlOk(SIGN_UP, { input: signUpInput(victim.email, { password: 'the squatter own passphrase' }) });
      await api.gqlOk(SIGN_UP, { input: signUpInput(victim.email, { password: TEST_PASSWORD }) });
      const again = await login(victim);
      expect(again.user.id).toBe(victim.userId);
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'refuses to log in an unverified account, with the answer of an unknown e-mail',
    async () => {
      const email = `unverified-${randomUUID().slice(0, 8)}@example.com`;
      const signUp = await api.gqlOk<{ signUp: { user: { emailVerified: boolean } } }>(SIGN_UP, { input: signUpInput(email) });
      expect(signUp.signUp.user.emailVerified).toBe(false);
      const unverified = await api.gql(LOGIN, { input: { email, password: TEST_PASSWORD } });
      const unknown = await api.gql(LOGIN, { input: { email: `nobody-${randomUUID()}@example.com`, password: TEST_PASSWORD } });
      expect(unverified.errors?.[0]).toMatchObject({ message: 'Invalid e-mail or password', extensions: { code: 'UNAUTHENTICATED' } });
      expect(unverified.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
      expect(unverified.data).toBeNull();
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'uses verification and password-reset tokens once; a reset ends every session and answers unknown addresses alike',
    async () => {
      const email = `once-${randomUUID().slice(0, 8)}@example.com`;
      await api.gqlOk(SIGN_UP, { input: signUpInput(email) });
      const verification = await api.takeAccountToken(email);
      const verified = await api.gqlOk<{ verifyEmail: { token: string; user: { emailVerified: boolean } } }>(VERIFY_EMAIL, { input: { token: verification } });
      expect(verified.verifyEmail.user.emailVerified).toBe(true);
      expect((await api.gql(VERIFY_EMAIL, { input: { token: verification } })).errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'token' }],
      });

      const unknown = await api.gql(REQUEST_RESET, { input: { email: `nobody-${randomUUID()}@example.com` } });
      const known = await api.gql(REQUEST_RESET, { input: { email } });
      expect(known).toEqual(unknown);
      const reset = await api.takeAccountToken(email);
      await api.gqlOk(RESET, { input: { token: reset, password: NEW_PASSWORD } });
      expect(code(await api.gql(RESET, { input: { token: reset, password: 'yet another long passphrase' } }))).toBe('BAD_USER_INPUT');
      expect(code(await api.gql(ME, {}, verified.verifyEmail.token))).toBe('UNAUTHENTICATED');
      expect(code(await api.gql(LOGIN, { input: { email, password: TEST_PASSWORD } }))).toBe('UNAUTHENTICATED');
      await login({ email }, NEW_PASSWORD);
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'refuses an expired verification or reset token',
    async () => {
      const shortLived = await startTestApi({ ACCOUNT_TOKEN_TTL_SECONDS: '3' });
      try {
        const email = `late-${randomUUID().slice(0, 8)}@example.com`;
        await shortLived.gqlOk(SIGN_UP, { input: signUpInput(email) });
        const token = await shortLived.takeAccountToken(email);
        await new Promise((resolve) => setTimeout(resolve, 3_100));
        const late = await shortLived.gql(VERIFY_EMAIL, { input: { token } });
        expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'token' }] });

        const agency = await newAgency(shortLived);
        await shortLived.gqlOk(REQUEST_RESET, { input: { email: agency.email } });
        const reset = await shortLived.takeAccountToken(agency.email);
        await new Promise((resolve) => setTimeout(resolve, 3_100));
        expect(code(await shortLived.gql(RESET, { input: { token: reset, password: NEW_PASSWORD } }))).toBe('BAD_USER_INPUT');
      } finally {
        await shortLived.close();
      }
    },
    APP_BOOT_TIMEOUT_MS,
  );

  it(
    'refuses weak passwords (aaaaaaaaaaaa, common ones) as BAD_USER_INPUT on password',
    async () => {
      for (const password of ['aaaaaaaaaaaa', 'password1234', 'azertyuiop123']) {
        const response = await api.gql(SIGN_UP, { input: signUpInput(`weak-${randomUUID().slice(0, 8)}@example.com`, { password }) });
        expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'password' }] });
      }
      const agency = await newAgency(api);
      const change = await api.gql(
        `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) }`,
        { input: { currentPassword: TEST_PASSWORD, password: 'qwertyuiop12' } },
        agency.token,
      );
      expect(change.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'password' }] });
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'rotates refresh tokens and ends the session when an old one is replayed',
    async () => {
      const agency = await newAgency(api);
      const first = await login(agency);
      const second = (await api.gqlOk<{ refreshSession: { token: string; refreshToken: string } }>(REFRESH, { input: { refreshToken: first.refreshToken } }))
        .refreshSession;
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(code(await api.gql(ME, {}, second.token))).toBeUndefined();

      const replay = await api.gql(REFRESH, { input: { refreshToken: first.refreshToken } });
      expect(code(replay)).toBe('UNAUTHENTICATED');
      // The whole family is gone: the legitimate latest tokens too.
      expect(code(await api.gql(REFRESH, { input: { refreshToken: second.refreshToken } }))).toBe('UNAUTHENTICATED');
      expect(code(await api.gql(ME, {}, second.token))).toBe('UNAUTHENTICATED');
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'changes the password only with the current one, ending the other sessions; lists the agency’s users',
    async () => {
      const agency = await newAgency(api);
      const other = await login(agency);
      const CHANGE = `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) }`;
      const wrong = await api.gql(CHANGE, { input: { currentPassword: 'not the password', password: NEW_PASSWORD } }, agency.token);
      expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'currentPassword' }] });
      await api.gqlOk(CHANGE, { input: { currentPassword: TEST_PASSWORD, password: NEW_PASSWORD } }, agency.token);
      expect(code(await api.gql(ME, {}, other.token))).toBe('UNAUTHENTICATED');
      expect(code(await api.gql(ME, {}, agency.token))).toBeUndefined();
      const users = await api.gqlOk<{ users: Array<{ id: string; role: string }> }>(`{ users { id role } }`, {}, agency.token);
      expect(users.users).toEqual([{ id: agency.userId, role: 'OWNER' }]);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
