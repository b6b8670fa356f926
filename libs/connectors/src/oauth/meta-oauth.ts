import type { ConnectorConfig } from '@pilotage/config';
import { ProviderError } from '../provider-error';
import { ProviderHttp } from '../provider-http';
import type { ConnectionTokens, OAuthFlavor } from '../provider.types';
import { META_GRAPH_API_VERSION, metaBearer, metaGraphClassifier, metaGraphErrorOf } from '../providers/meta-graph';

/** The one permission Meta Ads needs: read the ad accounts' reports (Marketing API "Authorization"). */
export const META_ADS_SCOPES: readonly string[] = ['ads_read'];

/** `oauth/access_token` answers: `{ access_token, token_type: "bearer", expires_in }` (Facebook Login, "Manually Build a Login Flow"). */
interface MetaTokenAnswer {
  readonly access_token: string;
  readonly expires_in?: number;
}

function isTokenAnswer(body: unknown): body is MetaTokenAnswer {
  return typeof body === 'object' && body !== null && 'access_token' in body && typeof body.access_token === 'string';
}

/** `GET /me/permissions`: `{ data: [{ permission: "ads_read", status: "granted" | "declined" | "expired" }] }`. */
function grantedPermissions(body: unknown): string[] | null {
  if (typeof body !== 'object' || body === null || !('data' in body) || !Array.isArray(body.data)) return null;
  const granted: string[] = [];
  for (const entry of body.data as unknown[]) {
    if (typeof entry !== 'object' || entry === null || !('permission' in entry) || !('status' in entry)) return null;
    if (typeof entry.permission === 'string' && entry.status === 'granted') granted.push(entry.permission);
  }
  return granted;
}

/**
 * Facebook Login's "manual flow" for Meta Ads, with PKCE: the login dialog takes
 * `code_challenge` and `code_challenge_method=S256`, the code exchange takes `code_verifier`
 * (Facebook Login, "OIDC Code Flow with PKCE for Manually Built Facebook Login Flows"). The code
 * gives a short-lived user token (about an hour), exchanged at once for a long-lived one
 * (`grant_type=fb_exchange_token`, about 60 days: "Long-Lived Access Tokens").
 *
 * Meta has no refresh token: a long-lived token cannot be renewed without the user, so
 * {@link refresh} fails with a message that asks the agency to reconnect (the connection then
 * needs reauthorization, and says since or until when).
 *
 * The token endpoint is called with POST and a form body (the Graph API takes any parameter
 * in the body): the app secret, the code and the tokens stay out of URLs, which proxies and
 * access logs keep.
 */
export class MetaOAuth implements OAuthFlavor {
  private readonly http: ProviderHttp;

  constructor(private readonly config: ConnectorConfig) {
    const classifyGraph = metaGraphClassifier('Meta');
    this.http = new ProviderHttp({
      platform: 'Meta',
      rateLimit: { requests: 20, perSeconds: 1 },
      classify: (status, body, retryAfterMs, headers) => {
        const error = metaGraphErrorOf(body);
        // The token endpoint refuses a used, expired or mismatched code (or a wrong code_verifier) as an invalid parameter:
        // OAuthException code 100 ("This authorization code has been used.").
        if (status === 400 && error !== null && error.type === 'OAuthException' && error.code === 100) {
          return new ProviderError('UNAUTHORIZED', 'Meta refused the authorization (used, expired or not issued to this app): open a new connect link', 400);
        }
        return classifyGraph(status, body, retryAfterMs, headers);
      },
    });
  }

  get configured(): boolean {
    return this.config.meta !== null;
  }

  private credentials(): { clientId: string; clientSecret: string } {
    if (this.config.meta === null) throw new ProviderError('REJECTED', 'Meta is not configured: set META_APP_ID and META_APP_SECRET');
    return this.config.meta;
  }

  private graph(path: string): string {
    return `${this.config.baseUrls.metaGraphApi}/${META_GRAPH_API_VERSION}${path}`;
  }

  authorizationUrl(input: { state: string; codeChallenge: string; scopes: readonly string[] }): string {
    const url = new URL(`${this.config.baseUrls.metaWeb}/${META_GRAPH_API_VERSION}/dialog/oauth`);
    url.search = new URLSearchParams({
      client_id: this.credentials().clientId,
      redirect_uri: this.config.redirectUrl,
      state: input.state,
      response_type: 'code',
      // Facebook Login separates permissions with commas.
      scope: input.scopes.join(','),
      code_challenge: input.codeChallenge,
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  async exchangeCode(input: { code: string; codeVerifier: string }): Promise<ConnectionTokens> {
    const { clientId, clientSecret } = this.credentials();
    const shortLived = await this.token({
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uri: this.config.redirectUrl,
      code: input.code,
      code_verifier: input.codeVerifier,
    });
    const longLived = await this.token({
      grant_type: 'fb_exchange_token',
      client_id: clientId,
      client_secret: clientSecret,
      fb_exchange_token: shortLived.access_token,
    });
    // The login dialog lets the user untick a permission: a token without ads_read reads nothing.
    const permissions = grantedPermissions(
      await this.http.json({ method: 'GET', url: this.graph('/me/permissions'), headers: metaBearer(longLived.access_token) }),
    );
    if (permissions === null) throw new ProviderError('INVALID_RESPONSE', 'Meta: the permissions of the authorization could not be read');
    const missing = META_ADS_SCOPES.filter((scope) => !permissions.includes(scope));
    if (missing.length > 0) {
      throw new ProviderError(
        'FORBIDDEN',
        `Meta: the ${missing.join(', ')} permission was not granted: connect again and allow Pilotage to read the ad account's reports`,
      );
    }
    return {
      accessToken: longLived.access_token,
      refreshToken: null,
      expiresAt: longLived.expires_in === undefined ? null : new Date(Date.now() + longLived.expires_in * 1000),
      scopes: permissions,
    };
  }

  refresh(tokens: ConnectionTokens): Promise<ConnectionTokens> {
    if (tokens.expiresAt === null) {
      return Promise.reject(
        new ProviderError('UNAUTHORIZED', 'Meta: the access token can no longer be used and Meta issues no refresh token: reconnect the ad account'),
      );
    }
    const day = tokens.expiresAt.toISOString().slice(0, 10);
    const message =
      tokens.expiresAt.getTime() <= Date.now()
        ? `Meta: the access token expired on ${day} and Meta issues no refresh token: reconnect the ad account`
        : `Meta: the access token expires on ${day} and Meta issues no refresh token: reconnect the ad account before then`;
    return Promise.reject(new ProviderError('UNAUTHORIZED', message));
  }

  /** `DELETE /me/permissions` removes the app's whole grant, so every token it issued stops working (Graph API "User Permissions"). */
  async revoke(tokens: ConnectionTokens): Promise<void> {
    await this.http.json({ method: 'DELETE', url: this.graph('/me/permissions'), headers: metaBearer(tokens.accessToken) });
  }

  private async token(form: Record<string, string>): Promise<MetaTokenAnswer> {
    const body = await this.http.json({ method: 'POST', url: this.graph('/oauth/access_token'), form });
    if (!isTokenAnswer(body)) throw new ProviderError('INVALID_RESPONSE', 'Meta: the token endpoint answered without an access token');
    return body;
  }
}
