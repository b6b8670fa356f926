import { Client } from 'pg';
import { findKpi, findMetric, KPI_CATALOG, resolveRequiredMetrics } from '@pilotage/kpi';

/** Up to `size` e-commerce KPIs whose formulas need at most `size` metrics between them. */
export function chooseEcommercePlan(size = 25): { kpis: string[]; metrics: string[] } {
  const metrics = new Set<string>();
  const kpis: string[] = [];
  for (const kpi of KPI_CATALOG) {
    if (kpis.length === size) break;
    if (!kpi.businessModels.includes('ECOMMERCE') || kpi.channels?.length || kpi.traits?.length) continue;
    const needed = resolveRequiredMetrics(
      kpi,
      (key) => findKpi(key),
      (key) => findMetric(key) !== undefined,
    );
    const union = new Set([...metrics, ...needed]);
    if (union.size > size) continue;
    needed.forEach((key) => metrics.add(key));
    kpis.push(kpi.key);
  }
  return { kpis, metrics: [...metrics] };
}

/** Posts a GraphQL operation as `token` and answers its data (the bench's own small client). */
export type BenchGql = <T>(query: string, variables: Record<string, unknown>, token?: string) => Promise<T>;

/** A GraphQL client for `url` (the API's /graphql) that throws on any error, as the benchmarks need. */
export function benchGraphqlClient(url: string): BenchGql {
  return async <T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown };
    if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
}

/**
 * A new e-commerce client of the token's agency with an approved plan of `kpis`, through the
 * API's kickoff mutations (one objective, a target of 1 for every month of 2026): the plan a
 * benchmark's scorecards read. Answers the client's id.
 */
export async function newClientWithApprovedPlan(gql: BenchGql, token: string, name: string, kpis: readonly string[]): Promise<string> {
  const created = await gql<{ createClient: { id: string } }>(
    `mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }`,
    { input: { name, businessModel: 'ECOMMERCE' } },
    token,
  );
  const clientId = created.createClient.id;
  const kickoff = await gql<{ startKickoff: { id: string } }>(
    `mutation ($input: StartKickoffInput!) { startKickoff(input: $input) { id } }`,
    { input: { clientId, businessModel: 'ECOMMERCE', traits: [], channels: [], coreTarget: 'bench' } },
    token,
  );
  const kickoffId = kickoff.startKickoff.id;
  await gql(
    `mutation ($input: SetKickoffObjectivesInput!) { setKickoffObjectives(input: $input) { warnings { code } } }`,
    { input: { kickoffId, objectiveKeys: ['INCREASE_SALES'] } },
    token,
  );
  await gql(
    `mutation ($input: SelectKickoffKpisInput!) { selectKickoffKpis(input: $input) { warnings { code } } }`,
    { input: { kickoffId, selections: kpis.map((kpiKey) => ({ kpiKey, objectiveKey: 'INCREASE_SALES' })) } },
    token,
  );
  await gql(
    `mutation ($input: SetKickoffTargetsInput!) { setKickoffTargets(input: $input) { id } }`,
    { input: { kickoffId, year: 2026, targets: kpis.flatMap((kpiKey) => Array.from({ length: 12 }, (_, m) => ({ kpiKey, month: m + 1, value: 1 }))) } },
    token,
  );
  await gql(`mutation ($id: ID!) { approveKickoff(kickoffId: $id) { id } }`, { id: kickoffId }, token);
  return clientId;
}

/** The bench agency's owner (its throwaway database only). */
export const BENCH_OWNER = { email: 'bench@example.com', password: 'analytics-load-bench-7Qx!', agencySlug: 'bench' } as const;

/**
 * Signs the bench agency up through the API and logs its owner in. The bench owns its throwaway
 * database: it confirms its owner's address there instead of reading an e-mail. Answers the token.
 */
export async function signUpBenchAgency(gql: BenchGql, ownerUrl: string): Promise<string> {
  await gql(`mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }`, {
    input: { agencyName: 'Bench Agency', agencySlug: BENCH_OWNER.agencySlug, email: BENCH_OWNER.email, password: BENCH_OWNER.password, displayName: 'Bench' },
  });
  const confirming = new Client({ connectionString: ownerUrl });
  await confirming.connect();
  await confirming.query(`UPDATE users SET email_verified_at = now() WHERE email = $1`, [BENCH_OWNER.email]).finally(() => confirming.end());
  const login = await gql<{ login: { token: string } }>(`mutation ($input: LoginInput!) { login(input: $input) { token } }`, {
    input: { email: BENCH_OWNER.email, password: BENCH_OWNER.password },
  });
  return login.login.token;
}
