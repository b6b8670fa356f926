import { ConfigurationError, loadAppConfig } from './app-config';

describe(loadAppConfig.name, () => {
  it('starts with defaults and an embedded database when nothing is configured', () => {
    const config = loadAppConfig({});
    expect(config).toMatchObject({ nodeEnv: 'development', port: 3000, databaseUrl: null, migrationsRun: true });
    expect(config.jwtSecret).toHaveLength(64);
  });

  it('fails fast naming each invalid variable', () => {
    const load = (): unknown => loadAppConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short' });
    expect(load).toThrow(ConfigurationError);
    expect(load).toThrow(/PORT/);
    expect(load).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(load).toThrow(/JWT_SECRET must be at least 32 characters/);
  });

  it('requires the secrets and the database in production', () => {
    expect(() => loadAppConfig({ NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL is required in production[\s\S]*JWT_SECRET is required[\s\S]*DOWNLOAD_URL_SECRET is required/,
    );
  });

  it('trusts no proxy by default; TRUST_PROXY takes a hop count or proxy addresses, never "true"', () => {
    expect(loadAppConfig({}).trustProxy).toBe(false);
    expect(loadAppConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadAppConfig({ TRUST_PROXY: '172.30.0.10, 10.0.0.0/8,loopback' }).trustProxy).toEqual(['172.30.0.10', '10.0.0.0/8', 'loopback']);
    expect(() => loadAppConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY must be a hop count or a comma-separated list/);
    expect(() => loadAppConfig({ TRUST_PROXY: '10.0.0.0/40' })).toThrow(/TRUST_PROXY/);
  });

  it('generates weekly reports at 09:00 local on Monday by default, and refuses a settle period past six days', () => {
    expect(loadAppConfig({}).reportWeeklySettleHours).toBe(9);
    expect(loadAppConfig({ REPORT_WEEKLY_SETTLE_HOURS: '30' }).reportWeeklySettleHours).toBe(30);
    expect(() => loadAppConfig({ REPORT_WEEKLY_SETTLE_HOURS: '145' })).toThrow(/REPORT_WEEKLY_SETTLE_HOURS/);
    expect(() => loadAppConfig({ REPORT_WEEKLY_SETTLE_HOURS: 'monday' })).toThrow(/REPORT_WEEKLY_SETTLE_HOURS/);
  });
});
