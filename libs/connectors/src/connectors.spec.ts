import { agencyOfState, createPkcePair, createState } from './oauth/pkce';
import { parseRetryAfter, platformMessage } from './provider-http';
import { syncChunks, syncWindow } from './sync/sync-window';

describe('PKCE and state', () => {
  it('makes an S256 challenge of a 43-character verifier', () => {
    const { verifier, challenge } = createPkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).not.toBe(verifier);
  });

  it('reads the agency back from a state and refuses other shapes', () => {
    const agencyId = '0b7c6a2e-5d1f-4c8e-9a3b-2f6d8e1c4a7b';
    const { state, hash } = createState(agencyId);
    expect(agencyOfState(state)).toBe(agencyId);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(agencyOfState(`${agencyId}.short`)).toBeNull();
    expect(agencyOfState(`not-a-uuid.${'a'.repeat(43)}`)).toBeNull();
  });
});

describe('provider HTTP helpers', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter('Thu, 03 Dec 2026 10:00:30 GMT', Date.parse('Thu, 03 Dec 2026 10:00:00 GMT'))).toBe(30_000);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it("keeps the platform's short message from Google's and OAuth's error shapes", () => {
    expect(platformMessage({ error: { code: 403, message: 'User does not have sufficient permissions', status: 'PERMISSION_DENIED' } })).toBe(
      'User does not have sufficient permissions',
    );
    expect(platformMessage({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' })).toBe('Token has been expired or revoked.');
    expect(platformMessage('<html>')).toBeNull();
  });
});

describe(syncWindow.name, () => {
  it('backfills from the first day of the month N months ago up to yesterday', () => {
    expect(syncWindow('BACKFILL', '2026-12-03', { lookbackDays: 3 }, 25)).toEqual({ from: '2024-11-01', to: '2026-12-02' });
  });

  it('re-pulls yesterday and the lookback days before it daily', () => {
    expect(syncWindow('DAILY', '2026-03-01', { lookbackDays: 3 }, 25)).toEqual({ from: '2026-02-25', to: '2026-02-28' });
  });

  it('cuts a window into chunks that cover every day once', () => {
    expect(syncChunks({ from: '2026-01-01', to: '2026-01-10' }, 4)).toEqual([
      { from: '2026-01-01', to: '2026-01-04' },
      { from: '2026-01-05', to: '2026-01-08' },
      { from: '2026-01-09', to: '2026-01-10' },
    ]);
    expect(syncChunks({ from: '2026-01-01', to: '2026-01-01' }, 31)).toEqual([{ from: '2026-01-01', to: '2026-01-01' }]);
  });
});
