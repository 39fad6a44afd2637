import { expect } from 'chai';
import Stripe from 'stripe';
import { verifiedEvent } from './webhook.js';

const SECRET = 'whsec_unit';
const stripe = new Stripe('sk_test_unit');

/** What verifiedEvent throws for a correctly signed body: the client error the gateway answers with. */
function refusal(payload: string): { status: unknown; type: unknown; message: string } {
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET });
  try {
    verifiedEvent(stripe, Buffer.from(payload), signature, SECRET);
  } catch (err) {
    const e = err as { code?: unknown; type?: unknown; message?: unknown };
    return { status: e.code, type: e.type, message: String(e.message) };
  }
  throw new Error(`accepted ${JSON.stringify(payload)}`);
}

describe('Stripe webhook verification', () => {
  it('says in plain words that a signed body is not JSON, never what the JSON parser said', () => {
    for (const payload of ['', 'not json', '{"id": ', '{}garbage', '\u0000'.repeat(64), '[[[']) {
      expect(refusal(payload), JSON.stringify(payload)).to.deep.equal({
        status: 400,
        type: 'MALFORMED_EVENT',
        message: 'the webhook body is not a Stripe event: not JSON',
      });
    }
  });

  it('says so too for a thin event notification, which is JSON but not an event', () => {
    const payload = '{"id":"evt_1","object":"v2.core.event","type":"v1.billing.meter.no_meter_found"}';
    expect(refusal(payload)).to.deep.equal({
      status: 400,
      type: 'MALFORMED_EVENT',
      message: 'the webhook body is not a Stripe event: a thin event notification',
    });
  });
});
