import { dayNumberOf, parseCalendarDate } from './calendar-date.parser';

function read(text: string, declared: 'ISO' | 'DMY' | 'MDY' | null): string {
  const result = parseCalendarDate(text, declared);
  return result.ok ? `${result.iso}|${result.format}` : 'invalid';
}

describe(parseCalendarDate.name, () => {
  it.each([
    ['2026-10-01', null, '2026-10-01|ISO'],
    [' 2026-10-01 ', null, '2026-10-01|ISO'],
    ['01/10/2026', null, '2026-10-01|DMY'],
    ['1.3.2026', null, '2026-03-01|DMY'],
    ['01/10/2026', 'MDY', '2026-01-10|MDY'],
    ['2026-10-01', 'MDY', '2026-10-01|ISO'],
    ['29/02/2024', null, '2024-02-29|DMY'],
    ['29/02/2026', null, 'invalid'],
    ['01/13/2026', null, 'invalid'],
    ['01/10/2026', 'ISO', 'invalid'],
    ['01-10-2026', null, 'invalid'],
    ['01/10.2026', null, 'invalid'],
    ['2026-1-01', null, 'invalid'],
    ['01/10/26', null, 'invalid'],
  ] as const)('reads %j (declared %s) as %s', (text, declared, expected) => {
    expect(read(text, declared)).toBe(expected);
  });

  it('numbers days like the UTC calendar', () => {
    expect(dayNumberOf(1970, 1, 1)).toBe(0);
    expect(dayNumberOf(2000, 3, 1) * 86_400_000).toBe(Date.UTC(2000, 2, 1));
    expect(dayNumberOf(2026, 12, 31) * 86_400_000).toBe(Date.UTC(2026, 11, 31));
  });
});
