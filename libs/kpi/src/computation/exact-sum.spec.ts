import { roundToSignificantDigits, sumExactly } from './exact-sum';

describe(sumExactly.name, () => {
  it('adds decimal amounts without binary noise', () => {
    expect(sumExactly([0.1, 0.2])).toBe(0.3);
    expect(sumExactly(Array.from({ length: 10 }, () => 0.1))).toBe(1);
  });

  it('keeps a month of 19.99 € orders exact where naive summation drifts', () => {
    const orders = Array.from({ length: 3000 }, () => 19.99);
    const naive = orders.reduce((a, b) => a + b, 0);
    expect(naive).not.toBe(59970);
    expect(sumExactly(orders)).toBe(59970);
  });

  it('does not lose small amounts added to a large one', () => {
    expect(sumExactly([1e15, 0.25, 0.25, -1e15])).toBe(0.5);
  });

  it('keeps large counts exact', () => {
    expect(sumExactly([123_456_789_012, 987_654_321_098])).toBe(1_111_111_110_110);
  });

  it('returns 0 for nothing', () => {
    expect(sumExactly([])).toBe(0);
  });
});

describe(roundToSignificantDigits.name, () => {
  it('rounds to significant digits and turns -0 into 0', () => {
    expect(roundToSignificantDigits(0.30000000000000004, 15)).toBe(0.3);
    expect(roundToSignificantDigits(123456, 3)).toBe(123000);
    expect(Object.is(roundToSignificantDigits(-0, 15), 0)).toBe(true);
  });
});
