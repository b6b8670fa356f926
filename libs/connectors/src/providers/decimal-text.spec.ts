import { ProviderError } from '../provider-error';
import { decimalText, microsText, productText, wholeText } from './decimal-text';

describe('decimal text of platform numbers', () => {
  it('divides micros by 10^6 exactly, rounding half to even at 4 decimals', () => {
    expect(microsText('P', 'cost', '1234565')).toBe('1.2346');
    expect(microsText('P', 'cost', '1234450')).toBe('1.2344');
    expect(microsText('P', 'cost', '1234550')).toBe('1.2346');
    expect(microsText('P', 'cost', '12000000')).toBe('12');
    expect(microsText('P', 'cost', '0')).toBe('0');
    // Beyond 2^53: no double in the way.
    expect(microsText('P', 'cost', '9007199254740993123')).toBe('9007199254740.9931');
  });

  it('multiplies position by impressions exactly before rounding', () => {
    expect(productText('P', 'position', 3.00005, 3)).toBe('9.0002');
    expect(productText('P', 'position', 0.1, 3)).toBe('0.3');
    expect(productText('P', 'position', 12.34567891, 1000)).toBe('12345.6789');
  });

  it('rounds a fractional count half to even to a whole number', () => {
    expect(['0.5', '1.5', '2.5', '2.25', '2.75', 3].map((value) => wholeText('P', 'conversions', value))).toEqual(['0', '2', '2', '2', '3', '3']);
  });

  it('refuses what is not a number, naming the platform and field', () => {
    expect(() => decimalText('GA4', 'sessions', 'many')).toThrow(new ProviderError('INVALID_RESPONSE', 'GA4: sessions is not a number'));
    expect(() => microsText('Google Ads', 'metrics.costMicros', '1.5')).toThrow(ProviderError);
    expect(decimalText('P', 'value', 1e-7)).toBe('0');
    expect(decimalText('P', 'value', '0012.50')).toBe('12.5');
  });
});
