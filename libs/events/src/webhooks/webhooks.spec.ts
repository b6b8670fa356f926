import { createHmac } from 'node:crypto';
import { isBlockedAddress } from './webhook-address';
import { slackMessageOf } from './slack-message';
import { webhookRequestOf } from './webhook-request';
import { newWebhookSecret, signatureHeader, verifyWebhookSignature } from './webhook-signature';

describe('webhook signatures', () => {
  const secret = newWebhookSecret();
  const body = '{"id":"e1","type":"report.ready"}';

  it('signs "<t>.<raw body>" with HMAC-SHA256 of the whole secret, Stripe-style', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signatureHeader(secret, 1_700_000_000, body)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verifies within the tolerance only, and refuses another body, secret or a malformed header', () => {
    const header = signatureHeader(secret, 1_700_000_000, body);
    expect(verifyWebhookSignature(header, secret, body, 1_700_000_299)).toEqual({ valid: true });
    expect(verifyWebhookSignature(header, secret, body, 1_700_000_301)).toEqual({ valid: false, reason: 'timestamp outside the tolerance' });
    expect(verifyWebhookSignature(header, secret, `${body} `, 1_700_000_000)).toEqual({ valid: false, reason: 'signature mismatch' });
    expect(verifyWebhookSignature(header, newWebhookSecret(), body, 1_700_000_000)).toEqual({ valid: false, reason: 'signature mismatch' });
    expect(verifyWebhookSignature('v1=abc', secret, body, 1_700_000_000)).toEqual({ valid: false, reason: 'no timestamp t' });
    expect(verifyWebhookSignature(undefined, secret, body)).toMatchObject({ valid: false });
  });

  it('makes distinct 32-byte secrets', () => {
    const made = new Set(Array.from({ length: 50 }, () => newWebhookSecret()));
    expect(made.size).toBe(50);
    for (const value of made) expect(Buffer.from(value.slice('whsec_'.length), 'base64url')).toHaveLength(32);
  });

  it('sends JSON signed with its event and delivery headers, Slack unsigned', () => {
    const payload = { type: 'import.completed', data: { inserted: 3 } };
    const json = webhookRequestOf({
      format: 'JSON',
      secret,
      deliveryId: 'd1',
      eventType: 'import.completed',
      payload,
      locale: 'en',
      clientName: null,
      now: new Date(1_700_000_000_000),
    });
    expect(json.body).toBe(JSON.stringify(payload));
    expect(json.headers).toEqual({
      'Pilotage-Signature': signatureHeader(secret, 1_700_000_000, json.body),
      'Pilotage-Event': 'import.completed',
      'Pilotage-Delivery': 'd1',
    });
    const slack = webhookRequestOf({ format: 'SLACK', secret, deliveryId: 'd1', eventType: 'import.completed', payload, locale: 'en', clientName: 'Acme' });
    expect(slack.headers).toEqual({});
    expect(JSON.parse(slack.body)).toMatchObject({ text: 'Import completed — Acme' });
  });
});

describe(isBlockedAddress.name, () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('refuses %s', (address) => expect(isBlockedAddress(address)).toBe(true));
  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) =>
    expect(isBlockedAddress(address)).toBe(false),
  );
  it('refuses what is not an IP literal', () => expect(isBlockedAddress('localhost')).toBe(true));
});

describe(slackMessageOf.name, () => {
  it('summarizes in the language asked, escaping Slack’s control characters', () => {
    const message = slackMessageOf({ type: 'report.sent', data: { period: '2026-03-01/2026-03-31', kpi: 'a<b>&c' } }, 'fr', 'Dupont & Fils');
    expect(message.text).toBe('Rapport envoyé — Dupont & Fils');
    expect(message.blocks[1]).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Client:* Dupont &amp; Fils' },
        { type: 'mrkdwn', text: '*KPI:* a&lt;b&gt;&amp;c' },
        { type: 'mrkdwn', text: '*Période:* 2026-03-01/2026-03-31' },
      ],
    });
  });
});
