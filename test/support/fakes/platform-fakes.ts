import { startFakePlatforms, type RunningFakes } from './fake-server';
import { Ga4Fake } from './ga4.fake';
import { GoogleAdsFake, type GoogleAdsFakeOptions } from './google-ads.fake';
import { GoogleIdentityFake } from './google-identity.fake';
import { SearchConsoleFake } from './search-console.fake';

/** OAuth credentials of the test apps, as an agency would configure them (fake values). */
export const FAKE_GOOGLE_CLIENT = { clientId: 'pilotage-test.apps.googleusercontent.com', clientSecret: 'fake-google-client-secret' } as const;
export const FAKE_GOOGLE_ADS_DEVELOPER_TOKEN = 'fake-developer-token';
export const FAKE_META_APP = { appId: '100000000000001', appSecret: 'fake-meta-app-secret' } as const;
/** A fixed token key so that the API and the worker of one test agree (32 zero-free bytes in base64). */
export const FAKE_CONNECTOR_TOKEN_KEYS = `test1:${Buffer.alloc(32, 7).toString('base64')}`;
/** Where the fakes send the user back after consent (a test reads the Location rather than following it). */
export const FAKE_OAUTH_REDIRECT_URL = 'http://127.0.0.1/oauth/callback';

export interface PlatformFakesOptions {
  /** `expires_in` of the Google access tokens, in seconds. */
  readonly googleExpiresInSeconds?: number;
  /** The redirect URL registered with the fake OAuth apps (and put in `env`). */
  readonly redirectUrl?: string;
  /** Search Console sites the test user may read. */
  readonly searchConsoleSites?: readonly string[];
  /** GA4 properties the test user may read. */
  readonly ga4Properties?: readonly string[];
  /** Google Ads customers the test user may read, with the manager account each is reached through (or null). */
  readonly googleAdsCustomers?: GoogleAdsFakeOptions['customers'];
}

export interface PlatformFakes {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Configuration pointing the production code at the fakes: base URLs, test OAuth credentials, token keys. */
  readonly env: Readonly<Record<string, string>>;
  readonly google: {
    readonly identity: GoogleIdentityFake;
    readonly ga4: Ga4Fake;
    readonly ads: GoogleAdsFake;
    readonly searchConsole: SearchConsoleFake;
  };
  /** Every request received, in order. */
  readonly requests: RunningFakes['requests'];
  close(): Promise<void>;
}

/** Starts every fake platform on one loopback server (closed with the test file if the test does not). */
export async function startPlatformFakes(options: PlatformFakesOptions = {}): Promise<PlatformFakes> {
  const redirectUrl = options.redirectUrl ?? FAKE_OAUTH_REDIRECT_URL;
  const identity = new GoogleIdentityFake({ ...FAKE_GOOGLE_CLIENT, redirectUri: redirectUrl, expiresInSeconds: options.googleExpiresInSeconds });
  const searchConsole = new SearchConsoleFake(identity, options.searchConsoleSites);
  const ga4 = new Ga4Fake(identity, options.ga4Properties);
  const ads = new GoogleAdsFake(identity, { developerToken: FAKE_GOOGLE_ADS_DEVELOPER_TOKEN, customers: options.googleAdsCustomers });
  const running = await startFakePlatforms({
    '/google-accounts': identity.accounts,
    '/google-oauth2': identity.oauth2,
    '/ga4': ga4,
    '/google-ads': ads,
    '/search-console': searchConsole,
  });
  const { origin } = running;
  return {
    origin,
    env: {
      GOOGLE_ACCOUNTS_BASE_URL: `${origin}/google-accounts`,
      GOOGLE_OAUTH2_BASE_URL: `${origin}/google-oauth2`,
      GA4_DATA_API_BASE_URL: `${origin}/ga4`,
      GOOGLE_ADS_API_BASE_URL: `${origin}/google-ads`,
      SEARCH_CONSOLE_API_BASE_URL: `${origin}/search-console`,
      META_WEB_BASE_URL: `${origin}/meta-web`,
      META_GRAPH_API_BASE_URL: `${origin}/meta-graph`,
      GOOGLE_OAUTH_CLIENT_ID: FAKE_GOOGLE_CLIENT.clientId,
      GOOGLE_OAUTH_CLIENT_SECRET: FAKE_GOOGLE_CLIENT.clientSecret,
      GOOGLE_ADS_DEVELOPER_TOKEN: FAKE_GOOGLE_ADS_DEVELOPER_TOKEN,
      META_APP_ID: FAKE_META_APP.appId,
      META_APP_SECRET: FAKE_META_APP.appSecret,
      CONNECTOR_TOKEN_KEYS: FAKE_CONNECTOR_TOKEN_KEYS,
      OAUTH_REDIRECT_URL: redirectUrl,
    },
    google: { identity, ga4, ads, searchConsole },
    requests: running.requests,
    close: running.close,
  };
}
