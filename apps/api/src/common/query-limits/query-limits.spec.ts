import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { depthLimitRule, MAX_QUERY_DEPTH } from './query-limits.plugin';

// Our schema has no recursive type yet, so the rule is proven on one that does.
const schema = buildSchema(`type Node { id: ID, child: Node } type Query { root: Node }`);

function nested(depth: number): string {
  return `{ root ${'{ child '.repeat(depth - 1)}{ id }${' }'.repeat(depth - 1)} }`;
}

describe('depthLimitRule', () => {
  it(`accepts a query ${MAX_QUERY_DEPTH} levels deep`, () => {
    expect(validate(schema, parse(nested(MAX_QUERY_DEPTH - 1)), [...specifiedRules, depthLimitRule])).toEqual([]);
  });

  it('refuses a query nested past the limit', () => {
    const errors = validate(schema, parse(nested(MAX_QUERY_DEPTH + 2)), [...specifiedRules, depthLimitRule]);
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(/exceeds maximum operation depth of 10/)]);
  });
});
