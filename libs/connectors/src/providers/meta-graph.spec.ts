import { businessUseCaseWaitMs, metaGraphClassifier } from './meta-graph';

const classify = metaGraphClassifier('Meta Ads');
const body = (code: number, extra: Record<string, unknown> = {}): unknown => ({ error: { message: `error ${code}`, type: 'OAuthException', code, ...extra } });

describe(metaGraphClassifier.name, () => {
  it.each([4, 17, 32, 613, 80000, 80014])('treats code %i as Meta throttling', (code) => {
    const error = classify(400, body(code), 2000, new Headers());
    expect(error?.kind).toBe('RATE_LIMITED');
    expect(error?.retryAfterMs).toBe(2000);
  });

  it('prefers the wait of X-Business-Use-Case-Usage to Retry-After', () => {
    const headers = new Headers({ 'x-business-use-case-usage': JSON.stringify({ '42': [{ type: 'ads_insights', estimated_time_to_regain_access: 3 }] }) });
    expect(classify(400, body(80000), 2000, headers)?.retryAfterMs).toBe(180_000);
  });

  it.each([
    [190, 'UNAUTHORIZED'],
    [10, 'FORBIDDEN'],
    [200, 'FORBIDDEN'],
    [299, 'FORBIDDEN'],
  ])('maps code %i to %s', (code, kind) => {
    expect(classify(400, body(code), null, new Headers())?.kind).toBe(kind);
  });

  it('retries an error Meta marks transient, and leaves other codes to the HTTP status', () => {
    expect(classify(400, body(1, { is_transient: true }), null, new Headers())?.kind).toBe('UNAVAILABLE');
    expect(classify(400, body(100), null, new Headers())).toBeNull();
    expect(classify(500, 'not json', null, new Headers())).toBeNull();
  });
});

describe(businessUseCaseWaitMs.name, () => {
  it('takes the longest wait of every business and use case, in minutes', () => {
    const header = JSON.stringify({
      '1': [{ type: 'ads_management', estimated_time_to_regain_access: 1 }],
      '2': [
        { type: 'ads_insights', estimated_time_to_regain_access: 0 },
        { type: 'ads_insights', estimated_time_to_regain_access: 7 },
      ],
    });
    expect(businessUseCaseWaitMs(header)).toBe(7 * 60_000);
  });

  it('gives null when there is nothing to wait or the header is unreadable', () => {
    expect(businessUseCaseWaitMs(null)).toBeNull();
    expect(businessUseCaseWaitMs(JSON.stringify({ '1': [{ type: 'ads_insights', estimated_time_to_regain_access: 0 }] }))).toBeNull();
    expect(businessUseCaseWaitMs('{not json')).toBeNull();
  });
});
