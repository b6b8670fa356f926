import { BadUserInputError, ErrorCode } from '@pilotage/common';
import { decodeKeysetCursor, encodeKeysetCursor } from './keyset-page';

const ID = '0b7e6c1e-2f4a-4c4e-9a51-3f1d2c7b8a90';
const base64url = (text: string): string => Buffer.from(text).toString('base64url');

describe('keyset cursors', () => {
  it('reads back the sort value and id it wrote', () => {
    const cursor = { sortValue: '2026-10-31T23:59:59.123Z', id: ID };
    expect(decodeKeysetCursor(encodeKeysetCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['not base64url JSON', 'garbage'],
    ['JSON of the wrong shape', base64url('{"createdAt":"2026-10-31T00:00:00.000Z","id":"x"}')],
    ['an id that is not a uuid (PostgreSQL would fail on it)', base64url(`["2026-10-31T00:00:00.000Z","42"]`)],
    ['a date PostgreSQL would refuse', base64url(`["2026-02-30T00:00:00.000Z","${ID}"]`)],
    ['a timestamp without milliseconds and zone', base64url(`["2026-10-31 00:00","${ID}"]`)],
    ['an empty string', ''],
  ])('refuses %s as BAD_USER_INPUT naming the `after` argument', (_case, value) => {
    let thrown: unknown = null;
    try {
      decodeKeysetCursor(value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BadUserInputError);
    expect(thrown).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, fields: [{ field: 'after' }] });
  });
});
