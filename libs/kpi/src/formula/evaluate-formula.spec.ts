import { evaluateFormula } from './evaluate-formula';
import { parseFormula } from './parse-formula';

const evaluate = (source: string, values: Readonly<Record<string, number | null | undefined>> = {}): number | null =>
  evaluateFormula(parseFormula(source), values);

describe(evaluateFormula.name, () => {
  it('respects precedence and associativity', () => {
    expect(evaluate('2 + 3 * 4')).toBe(14);
    expect(evaluate('(2 + 3) * 4')).toBe(20);
    expect(evaluate('10 - 4 - 3')).toBe(3);
    expect(evaluate('64 / 4 / 2')).toBe(8);
    expect(evaluate('-2 * -3')).toBe(6);
    expect(evaluate('2 - -3')).toBe(5);
  });

  it('computes a ratio from named values', () => {
    expect(evaluate('orders / sessions', { orders: 30, sessions: 1200 })).toBe(0.025);
  });

  it('evaluates min, max and abs', () => {
    expect(evaluate('min(a, b, 3)', { a: 5, b: 4 })).toBe(3);
    expect(evaluate('max(a, b)', { a: -5, b: -4 })).toBe(-4);
    expect(evaluate('abs(a - b)', { a: 2, b: 7 })).toBe(5);
  });

  it('returns null on a division by zero, including 0 / 0', () => {
    expect(evaluate('orders / sessions', { orders: 3, sessions: 0 })).toBeNull();
    expect(evaluate('orders / sessions', { orders: 0, sessions: 0 })).toBeNull();
    expect(evaluate('1 / (a - a)', { a: 4 })).toBeNull();
  });

  it('returns null when a division by zero is hidden inside min or max', () => {
    expect(evaluate('min(1, a / b)', { a: 1, b: 0 })).toBeNull();
  });

  it('returns null when a referenced value is missing, null, undefined or not finite', () => {
    expect(evaluate('a + b', { a: 1 })).toBeNull();
    expect(evaluate('a + b', { a: 1, b: null })).toBeNull();
    expect(evaluate('a + b', { a: 1, b: undefined })).toBeNull();
    expect(evaluate('a + b', { a: 1, b: Number.NaN })).toBeNull();
    expect(evaluate('a + b', { a: 1, b: Number.POSITIVE_INFINITY })).toBeNull();
  });

  it('treats zero as a value, not as missing', () => {
    expect(evaluate('a + b', { a: 0, b: 0 })).toBe(0);
  });

  it('returns null when an intermediate result overflows', () => {
    expect(evaluate('min(a * a, 1)', { a: 1e200 })).toBeNull();
  });

  it('never resolves names from Object.prototype', () => {
    for (const name of ['constructor', '__proto__', 'tostring', 'valueof', 'hasownproperty']) {
      expect(evaluate(`${name} + 1`)).toBeNull();
    }
    // Lowercase is the grammar; these are the real prototype names, looked up on a plain object.
    const values: Record<string, number> = { a: 1 };
    for (const name of ['constructor', 'toString', 'valueOf', '__proto__']) {
      expect(evaluateFormula({ kind: 'reference', name }, values)).toBeNull();
    }
  });

  it('reads own properties named like prototype members', () => {
    const values: Record<string, number> = {};
    Object.defineProperty(values, '__proto__', { value: 7, enumerable: true });
    Object.defineProperty(values, 'constructor', { value: 2, enumerable: true });
    expect(evaluate('__proto__ * constructor', values)).toBe(14);
  });

  it('returns 0 rather than -0', () => {
    expect(Object.is(evaluate('-a', { a: 0 }), 0)).toBe(true);
  });
});
