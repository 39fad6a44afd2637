import { expect } from 'chai';
import { describe, it } from 'mocha';
import type { Plan } from '../../api/types';
import { daysText, formatDate, hasBillingHistory, isBilled, planLabel, planTone } from './plan-summary';

const plan = (status: string, entitled: boolean): Plan => ({
  status,
  entitled,
  paidUntil: entitled ? '2026-03-12T10:00:00.000Z' : null,
  daysLeft: entitled ? 12 : 0,
  cancelAtPeriodEnd: false,
  complimentaryUntil: null,
});

describe('plan summary', () => {
  it("names Stripe's and EnergyLive's states for people", () => {
    expect(planLabel(plan('active', true))).to.equal('Active');
    expect(planLabel(plan('trialing', true))).to.equal('Free trial');
    expect(planLabel(plan('none', false))).to.equal('No subscription');
    expect(planLabel(plan('complimentary', true))).to.equal('Complimentary access');
    expect(planLabel(plan('some_new_state', false))).to.equal('Some new state');
  });

  it('warns when payment is due, and marks a running plan good', () => {
    expect(planTone(plan('past_due', true))).to.equal('warning');
    expect(planTone(plan('active', true))).to.equal('good');
    expect(planTone(plan('canceled', false))).to.equal('neutral');
  });

  it('sends billed subscriptions to the portal and everyone else to checkout', () => {
    expect(isBilled(plan('active', true))).to.equal(true);
    expect(isBilled(plan('past_due', true))).to.equal(true);
    expect(isBilled(plan('canceled', false))).to.equal(false);
    expect(isBilled(plan('complimentary', true))).to.equal(false);
    expect(hasBillingHistory(plan('canceled', false))).to.equal(true);
    expect(hasBillingHistory(plan('none', false))).to.equal(false);
    expect(hasBillingHistory(plan('complimentary', true))).to.equal(false);
  });

  it('writes days and dates', () => {
    expect(daysText(1)).to.equal('1 day');
    expect(daysText(0)).to.equal('0 days');
    expect(formatDate('2026-03-12T10:00:00.000Z', 'en-GB')).to.equal('12 March 2026');
  });
});
