import { FormulaSyntaxError } from './formula-errors';
import type { FormulaNode } from './formula-node';
import { MAX_FORMULA_DEPTH, MAX_FORMULA_LENGTH, parseFormula } from './parse-formula';

const ref = (name: string): FormulaNode => ({ kind: 'reference', name });
const num = (value: number): FormulaNode => ({ kind: 'number', value });
const bin = (operator: '+' | '-' | '*' | '/', left: FormulaNode, right: FormulaNode): FormulaNode => ({
  kind: 'binary',
  operator,
  left,
  right,
});

function syntaxErrorOf(source: string): FormulaSyntaxError {
  try {
    parseFormula(source);
  } catch (error) {
    if (error instanceof FormulaSyntaxError) {
      return error;
    }
    throw error;
  }
  throw new Error(`expected '${source}' not to parse`);
}

describe(parseFormula.name, () => {
  it('parses numbers in integer, decimal and exponent forms', () => {
    expect(parseFormula('12')).toEqual(num(12));
    expect(parseFormula('0.5')).toEqual(num(0.5));
    expect(parseFormula('1e3')).toEqual(num(1000));
    expect(parseFormula('2.5E-2')).toEqual(num(0.025));
  });

  it('gives * and / precedence over + and -', () => {
    expect(parseFormula('a + b * c')).toEqual(bin('+', ref('a'), bin('*', ref('b'), ref('c'))));
    expect(parseFormula('a / b - c')).toEqual(bin('-', bin('/', ref('a'), ref('b')), ref('c')));
  });

  it('associates operators of equal precedence to the left', () => {
    expect(parseFormula('a - b - c')).toEqual(bin('-', bin('-', ref('a'), ref('b')), ref('c')));
    expect(parseFormula('a / b / c')).toEqual(bin('/', bin('/', ref('a'), ref('b')), ref('c')));
    expect(parseFormula('a / b * c')).toEqual(bin('*', bin('/', ref('a'), ref('b')), ref('c')));
  });

  it('lets parentheses override precedence', () => {
    expect(parseFormula('(a + b) * c')).toEqual(bin('*', bin('+', ref('a'), ref('b')), ref('c')));
    expect(parseFormula('a - (b - c)')).toEqual(bin('-', ref('a'), bin('-', ref('b'), ref('c'))));
  });

  it('parses unary minus tighter than multiplication, and repeated', () => {
    expect(parseFormula('-a * b')).toEqual(bin('*', { kind: 'negate', operand: ref('a') }, ref('b')));
    expect(parseFormula('a - -2')).toEqual(bin('-', ref('a'), { kind: 'negate', operand: num(2) }));
    expect(parseFormula('--a')).toEqual({ kind: 'negate', operand: { kind: 'negate', operand: ref('a') } });
  });

  it('parses min, max and abs with their arguments', () => {
    expect(parseFormula('max(a, b, 0)')).toEqual({ kind: 'call', name: 'max', args: [ref('a'), ref('b'), num(0)] });
    expect(parseFormula('abs(a - b)')).toEqual({ kind: 'call', name: 'abs', args: [bin('-', ref('a'), ref('b'))] });
  });

  it('reads a function name without parentheses as an ordinary reference', () => {
    expect(parseFormula('min + 1')).toEqual(bin('+', ref('min'), num(1)));
  });

  it('ignores whitespace of any kind', () => {
    expect(parseFormula(' \t(orders)\n/\r\nsessions ')).toEqual(bin('/', ref('orders'), ref('sessions')));
  });

  it.each([
    ['(a + b))', "Unexpected ')' at position 7", 7],
    ['sqrt(a)', "Unknown function 'sqrt' at position 0", 0],
    ['a +', 'Unexpected end of formula at position 3', 3],
    ['a b', "Unexpected 'b' at position 2", 2],
    ['2x', "Unexpected 'x' at position 1", 1],
    ['a # b', "Unexpected character '#' at position 2", 2],
    ['Sessions', "Unexpected character 'S' at position 0", 0],
    ['(a', 'Unexpected end of formula at position 2', 2],
    ['min()', "Unexpected ')' at position 4", 4],
    ['max(a,)', "Unexpected ')' at position 6", 6],
    ['abs(a, b)', "Function 'abs' takes 1 argument, got 2 at position 0", 0],
    ['+a', "Unexpected '+' at position 0", 0],
    ['1.', "Unexpected character '.' at position 1", 1],
    ['1e999', "Number '1e999' is out of range at position 0", 0],
    ['a.constructor', "Unexpected character '.' at position 1", 1],
    ['a[0]', "Unexpected character '[' at position 1", 1],
  ])('rejects %p with a message naming the position', (source, message, position) => {
    const error = syntaxErrorOf(source);
    expect(error.message).toContain(message);
    expect(error.position).toBe(position);
  });

  it.each(['', '   ', '\n\t'])('rejects the empty formula %p', (source) => {
    const error = syntaxErrorOf(source);
    expect(error.message).toBe('Formula is empty');
    expect(error.position).toBe(0);
  });

  it('accepts a formula of the maximum length and rejects one character more', () => {
    const longest = `a${' '.repeat(MAX_FORMULA_LENGTH - 1)}`;
    expect(parseFormula(longest)).toEqual(ref('a'));
    const error = syntaxErrorOf(`${longest} `);
    expect(error.message).toContain(`longer than ${MAX_FORMULA_LENGTH}`);
    expect(error.position).toBe(MAX_FORMULA_LENGTH);
  });

  it('accepts nesting up to the maximum depth and rejects one level more', () => {
    const nested = (depth: number): string => `${'('.repeat(depth)}a${')'.repeat(depth)}`;
    expect(parseFormula(nested(MAX_FORMULA_DEPTH))).toEqual(ref('a'));
    const error = syntaxErrorOf(nested(MAX_FORMULA_DEPTH + 1));
    expect(error.message).toContain(`deeper than ${MAX_FORMULA_DEPTH}`);
    expect(error.position).toBe(MAX_FORMULA_DEPTH);
  });

  it('counts negations and function calls as nesting', () => {
    expect(syntaxErrorOf(`${'-'.repeat(MAX_FORMULA_DEPTH + 1)}a`).message).toContain('deeper than');
    expect(syntaxErrorOf(`${'abs('.repeat(MAX_FORMULA_DEPTH + 1)}a${')'.repeat(MAX_FORMULA_DEPTH + 1)}`).message).toContain('deeper than');
  });

  it('does not hit the depth limit on long flat sums', () => {
    const source = Array.from({ length: 1000 }, () => 'a').join('-');
    expect(source.length).toBeLessThanOrEqual(MAX_FORMULA_LENGTH);
    expect(() => parseFormula(source)).not.toThrow();
  });

  it('throws errors that are instances of Error with their own name', () => {
    const error = syntaxErrorOf(')');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('FormulaSyntaxError');
  });
});
