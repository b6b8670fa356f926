import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { isInputObjectType, isInterfaceType, isObjectType, isSpecifiedScalarType, lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { startTestApi, type TestApi } from '../support/test-api';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const SCHEMA_FILE = join(__dirname, '..', '..', 'apps', 'api', 'schema.gql');

/** Types and fields the front-end developers would find undocumented. */
function undocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    const isRoot = ['Query', 'Mutation', 'Subscription'].includes(type.name);
    if (!isRoot && !type.description) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        if ('args' in field) {
          for (const arg of field.args) if (!arg.description && arg.name !== 'input') missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
  }
  return missing;
}

describe('GraphQL schema', () => {
  let api: TestApi;
  let printed: string;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    api = await startTestApi();
    schema = api.app.get(GraphQLSchemaHost).schema;
    printed = `${printSchema(lexicographicSortSchema(schema))}\n`;
    // `npm run schema:update` rewrites the committed file; review its diff like code.
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(SCHEMA_FILE, printed);
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(() => api.close(), TEARDOWN_TIMEOUT_MS);

  it('matches the committed apps/api/schema.gql (run `npm run schema:update` after an intended change)', () => {
    expect(existsSync(SCHEMA_FILE)).toBe(true);
    expect(printed).toBe(readFileSync(SCHEMA_FILE, 'utf8'));
  });

  it('documents every type, field and argument', () => {
    expect(undocumented(schema)).toEqual([]);
  });
});
