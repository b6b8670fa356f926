import { emptyMetricValueColumns } from '@pilotage/database';
import { CHANNEL_NAMES, CHANNELS } from '@pilotage/kpi';
import { appendMetricValue, campaignProblem, defaultChannelOfSource, parseChannel, SourceChannelResolver } from './metric-channel.rules';
import { checkMetricValues } from './metric-value.validator';

describe(parseChannel.name, () => {
  it.each(CHANNELS)('reads %s by its key and its French and English names', (channel) => {
    expect(parseChannel(channel)).toBe(channel);
    expect(parseChannel(channel.toLowerCase())).toBe(channel);
    expect(parseChannel(CHANNEL_NAMES[channel].fr)).toBe(channel);
    expect(parseChannel(CHANNEL_NAMES[channel].en.toUpperCase())).toBe(channel);
  });

  it('ignores accents, case, spaces and punctuation but not other words', () => {
    expect(parseChannel('  ACCÈS   direct ')).toBe('DIRECT');
    expect(parseChannel('Acces-direct')).toBe('DIRECT');
    expect(parseChannel('email')).toBe('EMAIL');
    expect(parseChannel('Sites referents')).toBe('REFERRAL');
    expect(parseChannel('Search')).toBeNull();
    expect(parseChannel('Paid Search Ads')).toBeNull();
    expect(parseChannel('')).toBeNull();
  });
});

describe(defaultChannelOfSource.name, () => {
  it.each([
    ['Google Ads', 'PAID_SEARCH'],
    ['Google Ads 123-456-7890', 'PAID_SEARCH'],
    ['google_ads', 'PAID_SEARCH'],
    ['AdWords', 'PAID_SEARCH'],
    ['Microsoft Ads', 'PAID_SEARCH'],
    ['Bing Ads – compte FR', 'PAID_SEARCH'],
    ['Meta Ads', 'PAID_SOCIAL'],
    ['meta', 'PAID_SOCIAL'],
    ['Facebook Ads Manager', 'PAID_SOCIAL'],
    ['Instagram', 'PAID_SOCIAL'],
    ['LinkedIn Ads', 'PAID_SOCIAL'],
    ['TikTok Ads', 'PAID_SOCIAL'],
    ['Google Search Console', 'ORGANIC_SEARCH'],
    ['Search Console – example.fr', 'ORGANIC_SEARCH'],
    ['Mailchimp', 'EMAIL'],
    ['Brevo', 'EMAIL'],
    ['Sendinblue', 'EMAIL'],
    ['Klaviyo', 'EMAIL'],
    ['Amazon Seller Central', 'MARKETPLACE'],
    ['Cdiscount', 'MARKETPLACE'],
    ['Etsy', 'MARKETPLACE'],
    ['ManoMano', 'MARKETPLACE'],
  ] as const)('guesses %s → %s', (source, channel) => {
    expect(defaultChannelOfSource(source)).toBe(channel);
  });

  it.each(['manual', 'Google Analytics 4', 'Shopify', 'Stripe', 'LinkedIn', 'Metabase', 'Facebookish', ''])(
    'leaves %j in OTHER: it reports several channels or none',
    (source) => {
      expect(defaultChannelOfSource(source)).toBe('OTHER');
    },
  );
});

describe(SourceChannelResolver.name, () => {
  it('prefers the client’s choice to the default and reports which it used', () => {
    const resolver = new SourceChannelResolver(new Map([['Google Ads', 'PAID_SOCIAL']]));
    expect(resolver.channelOf('Google Ads')).toBe('PAID_SOCIAL');
    expect(resolver.isClientChoice('Google Ads')).toBe(true);
    expect(resolver.channelOf('Brevo')).toBe('EMAIL');
    expect(resolver.isClientChoice('Brevo')).toBe(false);
  });
});

describe(appendMetricValue.name, () => {
  it('writes the value’s own channel, else its source’s, and no campaign as the empty string', () => {
    const columns = emptyMetricValueColumns();
    const resolver = new SourceChannelResolver(new Map([['Shop', 'MARKETPLACE']]));
    const base = { metricKey: 'sessions', date: '2026-10-01', granularity: 'DAY', valueText: '12' } as const;
    expect(appendMetricValue(columns, { ...base, source: 'Shop', channel: 'EMAIL', campaign: 'Noël' }, resolver)).toBe('EMAIL');
    expect(appendMetricValue(columns, { ...base, source: 'Shop' }, resolver)).toBe('MARKETPLACE');
    expect(appendMetricValue(columns, { ...base, source: 'Klaviyo', channel: null, campaign: null }, resolver)).toBe('EMAIL');
    expect(columns).toEqual({
      metricKeys: ['sessions', 'sessions', 'sessions'],
      dates: ['2026-10-01', '2026-10-01', '2026-10-01'],
      sources: ['Shop', 'Shop', 'Klaviyo'],
      channels: ['EMAIL', 'MARKETPLACE', 'EMAIL'],
      campaigns: ['Noël', '', ''],
      granularities: ['DAY', 'DAY', 'DAY'],
      values: ['12', '12', '12'],
    });
  });
});

describe(campaignProblem.name, () => {
  it('accepts 200 characters and refuses 201 or a control character', () => {
    expect(campaignProblem('x'.repeat(200))).toBeNull();
    expect(campaignProblem('x'.repeat(201))).toBe('must have at most 200 characters (it has 201)');
    expect(campaignProblem('a\tb')).toMatch(/^must not contain control characters \(found U\+0009/);
  });
});

describe(checkMetricValues.name, () => {
  const units = new Map([['sessions', { unit: 'COUNT' as const }]]);
  const value = { metricKey: 'sessions', date: '2026-10-01', value: '5' };

  it('names the field of an unknown channel and of a bad campaign', () => {
    const { problems } = checkMetricValues(
      [
        { ...value, channel: 'Paid' },
        { ...value, campaign: 'y'.repeat(201) },
        { ...value, campaign: 'a\u001bb' },
      ],
      { units, today: '2026-11-15' },
    );
    expect(problems.map((problem) => problem.field)).toEqual(['values.0.channel', 'values.1.campaign', 'values.2.campaign']);
    expect(problems[0]?.message).toMatch(/^"Paid" is not a channel; accepted: PAID_SEARCH/);
  });

  it('keys duplicates on source, channel and campaign, with the channel resolved from the client’s choices', () => {
    const sourceChannels = new SourceChannelResolver(new Map([['Shop', 'MARKETPLACE']]));
    const { columns, problems } = checkMetricValues(
      [
        { ...value, source: 'Shop' },
        { ...value, source: 'Shop', channel: 'EMAIL' },
        { ...value, source: 'Shop', channel: 'EMAIL', campaign: 'Noël' },
        { ...value, source: 'Shop', channel: 'Places de marché' },
      ],
      { units, today: '2026-11-15', sourceChannels },
    );
    expect(problems).toEqual([{ field: 'values.3', message: 'repeats values.0: same metric, date, source, channel and campaign' }]);
    expect(columns.channels).toEqual(['MARKETPLACE', 'EMAIL', 'EMAIL']);
    expect(columns.campaigns).toEqual(['', '', 'Noël']);
  });
});
