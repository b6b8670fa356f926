import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * An exact decimal, given as a string ("1234.56", recommended) or a number. Literals keep the
 * digits as written (GraphQL hands them over as text); a JSON number arrives as a double and is
 * taken in its shortest form, so "0.1" and 0.1 are the same value. Always returned as a string.
 * Whether the text is a valid decimal is checked by the resolver's service, which reports every
 * problem of a call together with its index.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number, as a string ("1234.56") or a number; returned as a string. Use a string to keep cents exact.',
  serialize(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    throw new GraphQLError('Decimal cannot represent this value');
  },
  parseValue(value: unknown): string {
    if (typeof value === 'string') return value;
    // The shortest text that reads back as the same double; the service refuses malformed texts.
    if (typeof value === 'number') return String(value);
    throw new GraphQLError('Decimal must be a string or a number');
  },
  parseLiteral(ast): string {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return ast.value;
    throw new GraphQLError('Decimal must be a string or a number');
  },
});
