import { newAgency, newClient, newClientViewer, type TestAgency } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { APP_BOOT_TIMEOUT_MS, E2E_TEST_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const UPDATE = `mutation ($input: UpdateClientInput!) { updateClient(input: $input) { id reportDeliveryMode projectManagerId viewerAlertsVisible } }`;
const READ = `query ($id: ID!) { client(id: $id) { id reportDeliveryMode projectManagerId viewerAlertsVisible } }`;

describe('client report settings: delivery mode, project manager, viewer alerts', () => {
  let api: TestApi;
  let agency: TestAgency;
  let clientId: string;

  beforeAll(async () => {
    api = await startTestApi();
    agency = await newAgency(api);
    clientId = (await newClient(api, agency)).id;
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await api.close();
  }, TEARDOWN_TIMEOUT_MS);

  it(
    'defaults to REVIEW, no project manager, alerts hidden from viewers; staff change them',
    async () => {
      expect((await api.gqlOk<{ client: unknown }>(READ, { id: clientId }, agency.token)).client).toEqual({
        id: clientId,
        reportDeliveryMode: 'REVIEW',
        projectManagerId: null,
        viewerAlertsVisible: false,
      });
      const updated = await api.gqlOk<{ updateClient: unknown }>(
        UPDATE,
        { input: { id: clientId, reportDeliveryMode: 'AUTOMATIC', projectManagerId: agency.userId, viewerAlertsVisible: true } },
        agency.token,
      );
      expect(updated.updateClient).toEqual({ id: clientId, reportDeliveryMode: 'AUTOMATIC', projectManagerId: agency.userId, viewerAlertsVisible: true });
      // null removes the project manager; omitted fields stay.
      const cleared = await api.gqlOk<{ updateClient: unknown }>(UPDATE, { input: { id: clientId, projectManagerId: null } }, agency.token);
      expect(cleared.updateClient).toEqual({ id: clientId, reportDeliveryMode: 'AUTOMATIC', projectManagerId: null, viewerAlertsVisible: true });
    },
    E2E_TEST_TIMEOUT_MS,
  );

  it(
    'refuses a project manager who is a viewer, of another agency or unknown (BAD_USER_INPUT naming the field), and refuses viewers',
    async () => {
      const viewer = await newClientViewer(api, agency, clientId);
      const other = await newAgency(api);
      for (const projectManagerId of [viewer.userId, other.userId, '00000000-0000-4000-8000-000000000000']) {
        const response = await api.gql(UPDATE, { input: { id: clientId, projectManagerId } }, agency.token);
        expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(response.errors?.[0]?.message).toMatch(/projectManagerId/);
      }
      const byViewer = await api.gql(UPDATE, { input: { id: clientId, viewerAlertsVisible: false } }, viewer.token);
      expect(byViewer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const invalid = await api.gql(UPDATE, { input: { id: clientId, reportDeliveryMode: 'SOMETIMES' } }, agency.token);
      expect(invalid.errors).toBeDefined();
      // Another agency does not see the client at all.
      expect((await api.gql(UPDATE, { input: { id: clientId, reportDeliveryMode: 'REVIEW' } }, other.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect((await api.gqlOk<{ client: { viewerAlertsVisible: boolean } }>(READ, { id: clientId }, agency.token)).client.viewerAlertsVisible).toBe(true);
    },
    E2E_TEST_TIMEOUT_MS,
  );
});
