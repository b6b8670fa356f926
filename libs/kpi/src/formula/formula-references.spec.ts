import { formulaReferences } from './formula-references';
import { parseFormula } from './parse-formula';

describe(formulaReferences.name, () => {
  it('lists each identifier once, sorted, without function names', () => {
    expect(formulaReferences(parseFormula('max(sessions, b) / sessions + a * abs(a) + 2'))).toEqual(['a', 'b', 'sessions']);
  });

  it('returns an empty list for a constant', () => {
    expect(formulaReferences(parseFormula('1 + 2'))).toEqual([]);
  });
});
