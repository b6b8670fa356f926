import type { GraphqlResponse, TestApi } from '../support/test-api';
import { newAgency, type TestAgency } from '../support/factories';
import { startTestApi } from '../support/test-api';
import { APP_BOOT_TIMEOUT_MS, E2E_TEST_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token } }`;
const SESSIONS = `{ sessions { ipAddress current } }`;
const MAX_ATTEMPTS = 5;

/** A login sent as from behind a proxy that says the client is `forwardedFor`. */
async function loginAs(api: TestApi, input: Record<string, unknown>, forwardedFor: string): Promise<GraphqlResponse<{ login: { token: string } }>> {
  const response = await fetch(`${api.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ query: LOGIN, variables: { input } }),
  });
  return (await response.json()) as GraphqlResponse<{ login: { token: string } }>;
}

const codes = (responses: ReadonlyArray<GraphqlResponse<unknown>>): string[] =>
  responses.map((response) => String(response.errors?.[0]?.extensions?.code ?? 'OK'));

/** Issue #11, "Login limits can be bypassed": the attacks as they were run, against the production configuration. */
describe('login limits that hold (security)', () => {
  let api: TestApi;

  beforeAll(async () => {
    // Production mode, no TRUST_PROXY: docker-compose used to publish the API directly with `trust proxy` on.
    api = await startTestApi({
      NODE_ENV: 'production',
      DOWNLOAD_URL_SECRET: 'another-secret-another-secret-0123456789',
      LOGIN_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    });
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await api.close();
  }, TEARDOWN_TIMEOUT_MS);

  it(
    'checks at most LOGIN_MAX_ATTEMPTS of 40 concurrent wrong passwords for one account',
    async () => {
      const agency = await newAgency(api);
      const attempts = await Promise.all(
        Array.from({ length: 40 }, (_, index) => api.gql(LOGIN, { input: { email: agency.email, password: `wrong password number ${index}` } })),
      );
      const answers = codes(attempts);
      expect(answers.filter((code) => code === 'UNAUTHENTICATED').length).toBeLessThanOrEqual(MAX_ATTEMPTS);
      expect(answers.filter((code) => code === 'TOO_MANY_REQUESTS').length).toBeGreaterThanOrEqual(40 - MAX_ATTEMPTS);
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'ignores X-Forwarded-For without TRUST_PROXY: a new forged address per attempt does not reset the lock',
    async () => {
      const agency = await newAgency(api);
      const answers: string[] = [];
      for (let attempt = 0; attempt < 12; attempt += 1) {
        answers.push(...codes([await loginAs(api, { email: agency.email, password: `wrong password ${attempt}` }, `198.51.100.${attempt + 1}`)]));
      }
      expect(answers.slice(0, MAX_ATTEMPTS)).toEqual(Array(MAX_ATTEMPTS).fill('UNAUTHENTICATED'));
      expect(answers.slice(MAX_ATTEMPTS)).toEqual(Array(12 - MAX_ATTEMPTS).fill('TOO_MANY_REQUESTS'));
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'refuses the right password while the account is locked, whatever address the request claims',
    async () => {
      const agency: TestAgency = await newAgency(api);
      await Promise.all(Array.from({ length: MAX_ATTEMPTS }, (_, index) => api.gql(LOGIN, { input: { email: agency.email, password: `not it ${index}` } })));
      const right = await loginAs(api, { email: agency.email, password: agency.password }, '203.0.113.77');
      expect(right.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
      expect(right.data).toBeNull();
      const direct = await api.gql(LOGIN, { input: { email: agency.email, password: agency.password } });
      expect(direct.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'takes the client address from X-Forwarded-For only from a proxy TRUST_PROXY names',
    async () => {
      const proxied = await startTestApi({ TRUST_PROXY: '127.0.0.1' });
      try {
        for (const [target, expected] of [
          [api, ['127.0.0.1', '::ffff:127.0.0.1']],
          [proxied, ['198.51.100.9']],
        ] as const) {
          const agency = await newAgency(target);
          const login = await loginAs(target, { email: agency.email, password: agency.password }, '198.51.100.9');
          const token = login.data?.login.token ?? '';
          const sessions = await target.gqlOk<{ sessions: Array<{ ipAddress: string | null; current: boolean }> }>(SESSIONS, {}, token);
          const current = sessions.sessions.find((session) => session.current);
          expect(expected).toContain(current?.ipAddress);
        }
      } finally {
        await proxied.close();
      }
    },
    APP_BOOT_TIMEOUT_MS,
  );
});
