import { createHash, randomBytes } from 'node:crypto';
import type { ConnectionTokens } from '@pilotage/connectors';
import { bearerOf, FailurePlan, formBody, json, type FakePlatform, type FakeRequest, type FakeResponse } from './fake-server';

export interface GoogleIdentityFakeOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The only redirect URI registered for the client (Google compares it exactly). */
  readonly redirectUri: string;
  /** `expires_in` of the access tokens issued, in seconds (default 3600, an hour as Google gives). */
  readonly expiresInSeconds?: number;
}

interface GrantState {
  readonly scopes: readonly string[];
  revoked: boolean;
}

interface AccessTokenState {
  readonly grant: GrantState;
  readonly expiresAtMs: number;
}

interface PendingCode {
  readonly grant: GrantState;
  readonly codeChallenge: string;
  readonly redirectUri: string;
  used: boolean;
}

/**
 * Google's documented error body for a missing, expired or revoked access token on its APIs
 * (google.rpc.Status, "Request had invalid authentication credentials").
 */
export const GOOGLE_UNAUTHENTICATED = {
  error: {
    code: 401,
    message:
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    status: 'UNAUTHENTICATED',
  },
};

/** The scopes Pilotage's Google providers ask for: GA4, Google Ads, Search Console. */
export const GOOGLE_READ_SCOPES: readonly string[] = [
  'https://www.googleapis.com/auth/analytics.readonly',
  'https://www.googleapis.com/auth/adwords',
  'https://www.googleapis.com/auth/webmasters.readonly',
];

/** A google.rpc.Status error body as the Google REST APIs answer it. */
export function googleError(code: number, status: string, message: string, details?: unknown[]): FakeResponse {
  return json(code, { error: { code, message, status, ...(details === undefined ? {} : { details }) } });
}

const newToken = (prefix: string): string => `${prefix}${randomBytes(24).toString('base64url')}`;

/**
 * Google's OAuth 2.0 for web server applications on loopback: the consent page
 * (`accounts`, GET /o/oauth2/v2/auth) auto-consents as a test user, the token endpoint
 * (`oauth2`, POST /token: authorization_code with PKCE S256, refresh_token) and POST /revoke.
 * Error answers as Google documents them: 400 `invalid_grant` for a bad, reused or revoked code
 * or refresh token and for a wrong `code_verifier`, 401 `invalid_client` for wrong credentials,
 * 400 `redirect_uri_mismatch`. The API fakes check bearer tokens through {@link authorize}.
 */
export class GoogleIdentityFake {
  /** Failures of the token endpoint, planned by tests. */
  readonly tokenFailures = new FailurePlan();
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshTokens = new Map<string, GrantState>();
  private readonly accessTokens = new Map<string, AccessTokenState>();
  private denyNext = false;
  private readonly expiresInSeconds: number;

  constructor(private readonly options: GoogleIdentityFakeOptions) {
    this.expiresInSeconds = options.expiresInSeconds ?? 3600;
  }

  /** The consent page (accounts.google.com). */
  readonly accounts: FakePlatform = { handle: (request) => this.consent(request) };

  /** The token and revoke endpoints (oauth2.googleapis.com). */
  readonly oauth2: FakePlatform = {
    handle: (request) => {
      if (request.method === 'POST' && request.url.pathname === '/token') return this.tokenFailures.take() ?? this.token(formBody(request));
      if (request.method === 'POST' && request.url.pathname === '/revoke')
        return this.revoke(formBody(request).get('token') ?? request.url.searchParams.get('token'));
      return null;
    },
  };

  /** The next consent is refused by the user (`error=access_denied`). */
  denyNextConsent(): void {
    this.denyNext = true;
  }

  /**
   * A valid token set, as if the user had consented to `scopes` (by default the read scopes of
   * GA4, Google Ads and Search Console), for tests that skip the consent page.
   */
  issueTokens(scopes: readonly string[] = GOOGLE_READ_SCOPES): ConnectionTokens {
    const grant: GrantState = { scopes: [...scopes], revoked: false };
    const refreshToken = newToken('1//fake-refresh-');
    this.refreshTokens.set(refreshToken, grant);
    const { accessToken, expiresAt } = this.newAccessToken(grant);
    return { accessToken, refreshToken, expiresAt, scopes: [...scopes] };
  }

  /** Every access token issued so far now answers 401 (as after their hour); refresh tokens still work. */
  expireAccessTokens(): void {
    for (const [token, state] of this.accessTokens) this.accessTokens.set(token, { ...state, expiresAtMs: 0 });
  }

  /** Revokes the grant of a token as the user would from their Google account's third-party access page. */
  revokeGrantOf(token: string): void {
    const grant = this.refreshTokens.get(token) ?? this.accessTokens.get(token)?.grant;
    if (grant !== undefined) grant.revoked = true;
  }

  /**
   * Null when the request carries a live access token granted `scope`; else the answer Google's
   * APIs give: 401 UNAUTHENTICATED, or 403 PERMISSION_DENIED with ACCESS_TOKEN_SCOPE_INSUFFICIENT.
   */
  authorize(request: FakeRequest, scope: string): FakeResponse | null {
    const token = bearerOf(request);
    const state = token === null ? undefined : this.accessTokens.get(token);
    if (state === undefined || state.grant.revoked || state.expiresAtMs <= Date.now())
      return json(401, GOOGLE_UNAUTHENTICATED, { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' });
    if (!state.grant.scopes.includes(scope)) {
      return googleError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com' },
      ]);
    }
    return null;
  }

  private newAccessToken(grant: GrantState): { accessToken: string; expiresAt: Date } {
    const accessToken = newToken('ya29.fake-');
    const expiresAtMs = Date.now() + this.expiresInSeconds * 1000;
    this.accessTokens.set(accessToken, { grant, expiresAtMs });
    return { accessToken, expiresAt: new Date(expiresAtMs) };
  }

  private consent(request: FakeRequest): FakeResponse | null {
    if (request.method !== 'GET' || request.url.pathname !== '/o/oauth2/v2/auth') return null;
    const query = request.url.searchParams;
    // Google shows an error page (not a redirect) for an unknown client or an unregistered redirect URI.
    if (query.get('client_id') !== this.options.clientId) return { status: 401, body: 'Error 401: invalid_client — The OAuth client was not found.' };
    const redirectUri = query.get('redirect_uri') ?? '';
    if (redirectUri !== this.options.redirectUri) return { status: 400, body: 'Error 400: redirect_uri_mismatch' };
    const back = new URL(redirectUri);
    const state = query.get('state');
    if (state !== null) back.searchParams.set('state', state);
    const challenge = query.get('code_challenge') ?? '';
    if (query.get('response_type') !== 'code' || query.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
      back.searchParams.set('error', 'invalid_request');
      return { status: 302, headers: { location: back.toString() } };
    }
    if (this.denyNext) {
      this.denyNext = false;
      back.searchParams.set('error', 'access_denied');
      return { status: 302, headers: { location: back.toString() } };
    }
    const scopes = (query.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
    const code = newToken('4/fake-code-');
    this.codes.set(code, { grant: { scopes, revoked: false }, codeChallenge: challenge, redirectUri, used: false });
    back.searchParams.set('code', code);
    back.searchParams.set('scope', scopes.join(' '));
    return { status: 302, headers: { location: back.toString() } };
  }

  private token(form: URLSearchParams): FakeResponse {
    if (form.get('client_id') !== this.options.clientId || form.get('client_secret') !== this.options.clientSecret) {
      return json(401, { error: 'invalid_client', error_description: 'Unauthorized' });
    }
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const pending = this.codes.get(form.get('code') ?? '');
      if (pending === undefined || pending.used) return json(400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
      if (form.get('redirect_uri') !== pending.redirectUri) return json(400, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' });
      const verifier = form.get('code_verifier') ?? '';
      pending.used = true;
      if (createHash('sha256').update(verifier).digest('base64url') !== pending.codeChallenge) {
        return json(400, { error: 'invalid_grant', error_description: 'Invalid code verifier.' });
      }
      const refreshToken = newToken('1//fake-refresh-');
      this.refreshTokens.set(refreshToken, pending.grant);
      const { accessToken } = this.newAccessToken(pending.grant);
      return json(200, {
        access_token: accessToken,
        expires_in: this.expiresInSeconds,
        refresh_token: refreshToken,
        scope: pending.grant.scopes.join(' '),
        token_type: 'Bearer',
      });
    }
    if (grantType === 'refresh_token') {
      const grant = this.refreshTokens.get(form.get('refresh_token') ?? '');
      if (grant === undefined || grant.revoked) return json(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      const { accessToken } = this.newAccessToken(grant);
      return json(200, { access_token: accessToken, expires_in: this.expiresInSeconds, scope: grant.scopes.join(' '), token_type: 'Bearer' });
    }
    return json(400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grantType ?? ''}` });
  }

  /** Revoking either token of a grant ends the whole grant (Google: "the refresh token and its access tokens"). */
  private revoke(token: string | null): FakeResponse {
    const grant = token === null ? undefined : (this.refreshTokens.get(token) ?? this.accessTokens.get(token)?.grant);
    if (grant === undefined || grant.revoked) return json(400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
    grant.revoked = true;
    return { status: 200 };
  }
}
