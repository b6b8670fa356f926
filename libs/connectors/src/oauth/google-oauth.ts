import type { ConnectorConfig } from '@pilotage/config';
import { ProviderError } from '../provider-error';
import { ProviderHttp } from '../provider-http';
import type { ConnectionTokens, OAuthFlavor } from '../provider.types';

/** Google's token endpoint answers (OAuth 2.0 for Web Server Applications, "Step 5" and "Refreshing an access token"). */
interface GoogleTokenAnswer {
  readonly access_token: string;
  readonly expires_in?: number;
  readonly refresh_token?: string;
  readonly scope?: string;
}

function isTokenAnswer(body: unknown): body is GoogleTokenAnswer {
  return typeof body === 'object' && body !== null && 'access_token' in body && typeof body.access_token === 'string';
}

/**
 * Google's OAuth 2.0 for web server applications, shared by GA4, Google Ads and Search Console
 * (one Google Cloud OAuth client per agency). `access_type=offline` asks for a refresh token,
 * `prompt=consent` makes Google issue one again when the same user reconnects. The token
 * endpoint answers 400 `invalid_grant` for a revoked or expired grant: UNAUTHORIZED.
 */
export class GoogleOAuth implements OAuthFlavor {
  private readonly http: ProviderHttp;

  constructor(private readonly config: ConnectorConfig) {
    this.http = new ProviderHttp({
      platform: 'Google',
      rateLimit: { requests: 50, perSeconds: 1 },
      classify: (status, body) => {
        const error = typeof body === 'object' && body !== null && 'error' in body ? body.error : null;
        if (status === 400 && (error === 'invalid_grant' || error === 'unauthorized_client')) {
          return new ProviderError('UNAUTHORIZED', 'Google refused the authorization (revoked, expired or granted to another app): reconnect the account', 400);
        }
        return null;
      },
    });
  }

  get configured(): boolean {
    return this.config.google !== null;
  }

  private credentials(): { clientId: string; clientSecret: string } {
    if (this.config.google === null) throw new ProviderError('REJECTED', 'Google is not configured: set GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET');
    return this.config.google;
  }

  authorizationUrl(input: { state: string; codeChallenge: string; scopes: readonly string[] }): string {
    const url = new URL(`${this.config.baseUrls.googleAccounts}/o/oauth2/v2/auth`);
    url.search = new URLSearchParams({
      client_id: this.credentials().clientId,
      redirect_uri: this.config.redirectUrl,
      response_type: 'code',
      scope: input.scopes.join(' '),
      state: input.state,
      code_challenge: input.codeChallenge,
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
    }).toString();
    return url.toString();
  }

  async exchangeCode(input: { code: string; codeVerifier: string }): Promise<ConnectionTokens> {
    const { clientId, clientSecret } = this.credentials();
    const answer = await this.token({
      grant_type: 'authorization_code',
      code: input.code,
      code_verifier: input.codeVerifier,
      redirect_uri: this.config.redirectUrl,
      client_id: clientId,
      client_secret: clientSecret,
    });
    if (answer.refresh_token === undefined) {
      throw new ProviderError('INVALID_RESPONSE', 'Google granted no refresh token: remove Pilotage from the account’s third-party access and connect again');
    }
    return tokensOf(answer, answer.refresh_token, []);
  }

  async refresh(tokens: ConnectionTokens): Promise<ConnectionTokens> {
    if (tokens.refreshToken === null) throw new ProviderError('UNAUTHORIZED', 'Google: no refresh token stored: reconnect the account');
    const { clientId, clientSecret } = this.credentials();
    const answer = await this.token({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken, client_id: clientId, client_secret: clientSecret });
    // Google keeps the refresh token unless it rotates it (then the answer carries the new one).
    return tokensOf(answer, answer.refresh_token ?? tokens.refreshToken, tokens.scopes);
  }

  async revoke(tokens: ConnectionTokens): Promise<void> {
    await this.http.json({ method: 'POST', url: `${this.config.baseUrls.googleOAuth2}/revoke`, form: { token: tokens.refreshToken ?? tokens.accessToken } });
  }

  private async token(form: Record<string, string>): Promise<GoogleTokenAnswer> {
    const body = await this.http.json({ method: 'POST', url: `${this.config.baseUrls.googleOAuth2}/token`, form });
    if (!isTokenAnswer(body)) throw new ProviderError('INVALID_RESPONSE', 'Google: the token endpoint answered without an access token');
    return body;
  }
}

function tokensOf(answer: GoogleTokenAnswer, refreshToken: string, previousScopes: readonly string[]): ConnectionTokens {
  return {
    accessToken: answer.access_token,
    refreshToken,
    expiresAt: answer.expires_in === undefined ? null : new Date(Date.now() + answer.expires_in * 1000),
    scopes: answer.scope === undefined ? previousScopes : answer.scope.split(' ').filter((scope) => scope !== ''),
  };
}
