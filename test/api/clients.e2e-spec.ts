import type { Pool } from 'pg';
import { newAgency, newClient, newClientViewer, type TestAgency } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { ownerPool } from '../support/test-database';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const CLIENT_FIELDS = 'id name businessModel locale currency timeZone reportRecipients archived';
const GET = `query ($id: ID!) { client(id: $id) { ${CLIENT_FIELDS} } }`;
const LIST = `query ($first: Int, $after: String, $includeArchived: Boolean) {
  clients(first: $first, after: $after, includeArchived: $includeArchived) { totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`;
const UPDATE = `mutation ($input: UpdateClientInput!) { updateClient(input: $input) { ${CLIENT_FIELDS} } }`;
const ARCHIVE = `mutation ($id: ID!) { archiveClient(id: $id) { id archived } }`;

interface ListResult {
  clients: {
    totalCount: number;
    edges: Array<{ cursor: string; node: { id: string; name: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

describe('clients (GraphQL)', () => {
  let api: TestApi;
  let owner: Pool;
  let agency: TestAgency;

  beforeAll(async () => {
    api = await startTestApi();
    owner = ownerPool();
    agency = await newAgency(api, { locale: 'en' });
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await api.close();
    await owner.end();
  }, TEARDOWN_TIMEOUT_MS);

  it('creates a client with the agency defaults, updates and archives it, auditing each change', async () => {
    const created = await api.gqlOk<{ createClient: Record<string, unknown> }>(
      `mutation ($input: CreateClientInput!) { createClient(input: $input) { ${CLIENT_FIELDS} } }`,
      { input: { name: ' Maison Lumière ', businessModel: 'ECOMMERCE', reportRecipients: ['CEO@Maison.fr'] } },
      agency.token,
    );
    expect(created.createClient).toEqual({
      id: expect.any(String),
      name: 'Maison Lumière',
      businessModel: 'ECOMMERCE',
      locale: 'en',
      currency: 'EUR',
      timeZone: 'Europe/Paris',
      reportRecipients: ['ceo@maison.fr'],
      archived: false,
    });
    const id = created.createClient.id as string;
    const updated = await api.gqlOk<{ updateClient: Record<string, unknown> }>(
      UPDATE,
      { input: { id, locale: 'fr', timeZone: 'Pacific/Auckland', currency: 'NZD' } },
      agency.token,
    );
    expect(updated.updateClient).toMatchObject({ locale: 'fr', timeZone: 'Pacific/Auckland', currency: 'NZD', name: 'Maison Lumière' });
    const archived = await api.gqlOk<{ archiveClient: { archived: boolean } }>(ARCHIVE, { id }, agency.token);
    expect(archived.archiveClient.archived).toBe(true);
    const audit = await owner.query('SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY created_at', [id]);
    expect(audit.rows.map((row) => row.action)).toEqual(['client.created', 'client.updated', 'client.archived']);
  });

  it('rejects invalid client input naming the field, and writes nothing', async () => {
    const before = (await owner.query('SELECT count(*)::int AS n FROM clients WHERE agency_id = $1', [agency.agencyId])).rows[0].n;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'X', businessModel: 'ECOMMERCE', timeZone: 'Europe/Atlantis' }, 'timeZone'],
      [{ name: 'X', businessModel: 'ECOMMERCE', currency: 'EU' }, 'currency'],
      [{ name: 'X', businessModel: 'ECOMMERCE', reportRecipients: ['ok@x.fr', 'nope'] }, 'reportRecipients'],
      [{ name: '', businessModel: 'ECOMMERCE' }, 'name'],
      [
        {
          name: 'X',
          businessModel: 'ECOMMERCE',
          logoDataUri: `data:image/svg+xml;base64,${Buffer.from('<svg><script>alert(1)</script></svg>').toString('base64')}`,
        },
        'logoDataUri',
      ],
    ];
    for (const [input, field] of cases) {
      const response = await api.gql(`mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }`, { input }, agency.token);
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field }] });
    }
    const unknownModel = await api.gql(
      `mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }`,
      { input: { name: 'X', businessModel: 'PYRAMID' } },
      agency.token,
    );
    expect(unknownModel.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknownModel.errors?.[0].message).toMatch(/businessModel/);
    const after = (await owner.query('SELECT count(*)::int AS n FROM clients WHERE agency_id = $1', [agency.agencyId])).rows[0].n;
    expect(after).toBe(before);
  });

  it('pages through clients in a stable order with a bounded page size', async () => {
    const fresh = await newAgency(api);
    const names = ['A', 'B', 'C', 'D', 'E'];
    for (const name of names) await newClient(api, fresh, { name });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: ListResult = await api.gqlOk<ListResult>(LIST, { first: 2, after }, fresh.token);
      expect(page.clients.totalCount).toBe(5);
      seen.push(...page.clients.edges.map((edge) => edge.node.name));
      after = page.clients.pageInfo.hasNextPage ? page.clients.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(seen).toEqual(names);
    expect(pages).toBe(3);
    const tooBig = await api.gql(LIST, { first: 1000 }, fresh.token);
    expect(tooBig.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'first' }] });
    const badCursor = await api.gql(LIST, { first: 2, after: 'garbage' }, fresh.token);
    expect(badCursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'after' }] });
  });

  it('hides archived clients unless asked', async () => {
    const fresh = await newAgency(api);
    const kept = await newClient(api, fresh, { name: 'Kept' });
    const gone = await newClient(api, fresh, { name: 'Gone' });
    await api.gqlOk(ARCHIVE, { id: gone.id }, fresh.token);
    const active = await api.gqlOk<ListResult>(LIST, {}, fresh.token);
    expect(active.clients.edges.map((edge) => edge.node.id)).toEqual([kept.id]);
    const all = await api.gqlOk<ListResult>(LIST, { includeArchived: true }, fresh.token);
    expect(all.clients.edges.map((edge) => edge.node.id)).toEqual([kept.id, gone.id]);
  });

  it('answers NOT_FOUND or an empty list for every client operation on another agency’s ids', async () => {
    const other = await newAgency(api);
    const foreign = await newClient(api, agency, { name: 'Secret client' });
    const read = await api.gql(GET, { id: foreign.id }, other.token);
    expect(read.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(read.data).toBeNull();
    const update = await api.gql(UPDATE, { input: { id: foreign.id, name: 'Hijacked' } }, other.token);
    expect(update.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const archive = await api.gql(ARCHIVE, { id: foreign.id }, other.token);
    expect(archive.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const list = await api.gqlOk<ListResult>(LIST, { includeArchived: true }, other.token);
    expect(list.clients.edges.map((edge) => edge.node.id)).not.toContain(foreign.id);
    expect(list.clients.totalCount).toBe(0);
    const row = await owner.query('SELECT name, archived_at FROM clients WHERE id = $1', [foreign.id]);
    expect(row.rows).toEqual([{ name: 'Secret client', archived_at: null }]);
    // A malformed id is NOT_FOUND too, not a database error.
    expect((await api.gql(GET, { id: 'not-a-uuid' }, other.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('lets a client viewer read only their own client, and change nothing', async () => {
    const mine = await newClient(api, agency, { name: 'Viewer’s own' });
    const sibling = await newClient(api, agency, { name: 'Sibling' });
    const viewer = await newClientViewer(api, agency, mine.id);
    const list = await api.gqlOk<ListResult>(LIST, {}, viewer.token);
    expect(list.clients.edges.map((edge) => edge.node.id)).toEqual([mine.id]);
    expect((await api.gqlOk<{ client: { id: string } }>(GET, { id: mine.id }, viewer.token)).client.id).toBe(mine.id);
    expect((await api.gql(GET, { id: sibling.id }, viewer.token)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const update = await api.gql(UPDATE, { input: { id: mine.id, name: 'Renamed' } }, viewer.token);
    expect(update.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const create = await api.gql(`mutation { createClient(input: { name: "New", businessModel: SAAS }) { id } }`, {}, viewer.token);
    expect(create.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps the weekly report off unless agency staff turn it on; a viewer and another agency cannot change it', async () => {
    const OPT_IN = `mutation ($input: UpdateClientInput!) { updateClient(input: $input) { id weeklyReportEnabled } }`;
    const stored = async (id: string): Promise<boolean> =>
      (await owner.query(`SELECT weekly_report_enabled FROM clients WHERE id = $1`, [id])).rows[0].weekly_report_enabled as boolean;
    const client = await newClient(api, agency);
    expect(await stored(client.id)).toBe(false);
    const read = await api.gqlOk<{ client: { weeklyReportEnabled: boolean } }>(
      `query ($id: ID!) { client(id: $id) { weeklyReportEnabled } }`,
      { id: client.id },
      agency.token,
    );
    expect(read.client.weeklyReportEnabled).toBe(false);

    const viewer = await newClientViewer(api, agency, client.id);
    const byViewer = await api.gql(OPT_IN, { input: { id: client.id, weeklyReportEnabled: true } }, viewer.token);
    expect(byViewer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const other = await newAgency(api);
    const byOther = await api.gql(OPT_IN, { input: { id: client.id, weeklyReportEnabled: true } }, other.token);
    expect(byOther.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await stored(client.id)).toBe(false);

    const on = await api.gqlOk<{ updateClient: { weeklyReportEnabled: boolean } }>(
      OPT_IN,
      { input: { id: client.id, weeklyReportEnabled: true } },
      agency.token,
    );
    expect(on.updateClient.weeklyReportEnabled).toBe(true);
    expect(await stored(client.id)).toBe(true);
    const audit = await owner.query(`SELECT data FROM audit_log WHERE entity_id = $1 AND action = 'client.updated' ORDER BY created_at DESC LIMIT 1`, [
      client.id,
    ]);
    expect(audit.rows[0].data).toEqual({ changes: ['weeklyReportEnabled'] });
    // Another change leaves it as it is; a non-boolean is refused naming the field.
    await api.gqlOk(OPT_IN, { input: { id: client.id, name: 'Renamed' } }, agency.token);
    expect(await stored(client.id)).toBe(true);
    const bad = await api.gql(OPT_IN, { input: { id: client.id, weeklyReportEnabled: 'yes' } }, agency.token);
    expect(bad.errors?.[0].message).toMatch(/weeklyReportEnabled/);

    const created = await api.gqlOk<{ createClient: { id: string; weeklyReportEnabled: boolean } }>(
      `mutation ($input: CreateClientInput!) { createClient(input: $input) { id weeklyReportEnabled } }`,
      { input: { name: 'Weekly from day one', businessModel: 'SAAS', weeklyReportEnabled: true } },
      agency.token,
    );
    expect(created.createClient.weeklyReportEnabled).toBe(true);
  });
});
