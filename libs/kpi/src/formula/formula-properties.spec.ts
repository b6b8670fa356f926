import fc from 'fast-check';
import { evaluateFormula } from './evaluate-formula';
import { FormulaSyntaxError } from './formula-errors';
import type { FormulaNode } from './formula-node';
import { formatFormula } from './format-formula';
import { parseFormula } from './parse-formula';

const names = ['a', 'b', 'sessions', 'orders', 'min', 'x_1'] as const;

const number: fc.Arbitrary<FormulaNode> = fc
  .oneof(fc.nat(1000), fc.double({ min: 0, max: 1e25, noNaN: true, noDefaultInfinity: true }))
  .map((value) => ({ kind: 'number', value: value === 0 ? 0 : value }));
const reference: fc.Arbitrary<FormulaNode> = fc.constantFrom(...names).map((name) => ({ kind: 'reference', name }));

// Depth is bounded well below MAX_FORMULA_DEPTH and the printed text stays under 2000 characters.
const { node } = fc.letrec<{ node: FormulaNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 5 },
    number,
    reference,
    tie('node').map((operand): FormulaNode => ({ kind: 'negate', operand })),
    fc
      .record({ operator: fc.constantFrom('+', '-', '*', '/'), left: tie('node'), right: tie('node') })
      .map((parts): FormulaNode => ({ kind: 'binary', ...parts })),
    fc
      .record({ name: fc.constantFrom('min', 'max'), args: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) })
      .map((parts): FormulaNode => ({ kind: 'call', ...parts })),
    tie('node').map((arg): FormulaNode => ({ kind: 'call', name: 'abs', args: [arg] })),
  ),
}));

const values = fc.record(
  Object.fromEntries(names.map((name) => [name, fc.oneof(fc.constant(null), fc.integer({ min: -50, max: 50 }), fc.double({ noNaN: true }))])),
);

const formulaAlphabet = [...'0123456789.eE+-*/(), \tabmnixsqrt_'];

describe('formula properties', () => {
  it('prints any tree as text that parses back to an equal tree', () => {
    fc.assert(
      fc.property(node, (tree) => {
        expect(parseFormula(formatFormula(tree))).toEqual(tree);
      }),
      { numRuns: 500 },
    );
  });

  it('evaluates a reprinted formula to the same value, which is null or finite', () => {
    fc.assert(
      fc.property(node, values, (tree, given) => {
        const value = evaluateFormula(tree, given);
        expect(evaluateFormula(parseFormula(formatFormula(tree)), given)).toBe(value);
        expect(value === null || Number.isFinite(value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('formats canonically: formatting a parsed canonical text gives the same text', () => {
    fc.assert(
      fc.property(node, (tree) => {
        const text = formatFormula(tree);
        expect(formatFormula(parseFormula(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['any string', fc.string({ maxLength: 60 })],
    ['any text of formula characters', fc.string({ unit: fc.constantFrom(...formulaAlphabet), maxLength: 60 })],
    ['any unicode text', fc.string({ unit: 'binary', maxLength: 30 })],
  ])('throws nothing but FormulaSyntaxError on %s', (_label, source) => {
    fc.assert(
      fc.property(source, (text) => {
        try {
          parseFormula(text);
        } catch (error) {
          expect(error).toBeInstanceOf(FormulaSyntaxError);
          if (error instanceof FormulaSyntaxError) {
            expect(error.position).toBeGreaterThanOrEqual(0);
            expect(error.position).toBeLessThanOrEqual(text.length);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
