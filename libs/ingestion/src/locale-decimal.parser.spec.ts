import { parseLocaleDecimal } from './locale-decimal.parser';

function read(text: string, mark: 'COMMA' | 'POINT' | null): string {
  const result = parseLocaleDecimal(text, mark);
  return result.ok ? `${result.valueText}|${result.provenMark ?? '-'}` : result.code;
}

describe(parseLocaleDecimal.name, () => {
  it.each([
    ['1234', '1234|-'],
    ['1 234', '1234|-'],
    ['1\u00a0234\u00a0567', '1234567|-'],
    ["1'234.50", '1234.5|POINT'],
    ['12,5', '12.5|COMMA'],
    ['0,123', '0.123|COMMA'],
    ['1234,567', '1234.567|COMMA'],
    ['1.234,56', '1234.56|COMMA'],
    ['1,234.56', '1234.56|POINT'],
    ['1.234.567', '1234567|COMMA'],
    ['1,234,567', '1234567|POINT'],
    ['1 234,567', '1234.567|COMMA'],
    ['-0,00', '0|COMMA'],
    ['\u2212 3', 'INVALID_NUMBER'],
    ['\u22123', '-3|-'],
    ['+007', '7|-'],
    ['1,234', 'AMBIGUOUS_DECIMAL'],
    ['1.234', 'AMBIGUOUS_DECIMAL'],
    ['12 34', 'INVALID_NUMBER'],
    ['1.234.56', 'INVALID_NUMBER'],
    ['1 234.567,8', 'INVALID_NUMBER'],
    ['12,', 'INVALID_NUMBER'],
    [',5', 'INVALID_NUMBER'],
    ['1e5', 'INVALID_NUMBER'],
    ['12 €', 'INVALID_NUMBER'],
    ['', 'INVALID_NUMBER'],
    ['9'.repeat(400), 'NOT_FINITE'],
  ])('reads %j without a declared mark as %s', (text, expected) => {
    expect(read(text, null)).toBe(expected);
  });

  it.each([
    ['1,234', 'COMMA', '1.234'],
    ['1,234', 'POINT', '1234'],
    ['1.234', 'COMMA', '1234'],
    ['12.5', 'COMMA', 'INVALID_NUMBER'],
    ['12,5', 'POINT', 'INVALID_NUMBER'],
    ['1.234,5', 'POINT', 'INVALID_NUMBER'],
  ] as const)('reads %j with a declared %s mark as %s', (text, mark, expected) => {
    const result = parseLocaleDecimal(text, mark);
    expect(result.ok ? result.valueText : result.code).toBe(expected);
  });

  it('keeps digits beyond double precision in the text', () => {
    const result = parseLocaleDecimal('12345678901234567890,12', 'COMMA');
    expect(result.ok && result.valueText).toBe('12345678901234567890.12');
  });
});
