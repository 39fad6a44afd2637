import { expect } from 'chai';
import type { Identity } from '../../lib/accounts/account-flows.js';
import type { AccountsClient } from '../accounts-client.js';
import { IdentityCache, type Credentials } from './identity-cache.js';

const ada: Identity = {
  user: { id: 'u-ada', email: 'ada@example.com' },
  via: 'token',
  plan: {
    status: 'active',
    entitled: true,
    paidUntil: null,
    daysLeft: 3,
    cancelAtPeriodEnd: false,
    complimentaryUntil: null,
  },
};

/** An accounts actor that counts how often it is asked; only the token "good" is valid. */
function countingAccounts(): { client: AccountsClient; calls: Credentials[] } {
  const calls: Credentials[] = [];
  const client = {
    identify: async (credentials: Credentials) => {
      calls.push(credentials);
      await new Promise((resolve) => setTimeout(resolve, 10));
      return 'token' in credentials && credentials.token === 'good' ? ada : null;
    },
  } as unknown as AccountsClient;
  return { client, calls };
}

describe('IdentityCache', () => {
  it('asks the accounts actor once for many requests arriving together with the same token', async () => {
    const { client, calls } = countingAccounts();
    const cache = new IdentityCache(client);
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.identify({ token: 'good' })));
    expect(answers.every((a) => a?.user.id === 'u-ada')).to.equal(true);
    expect(calls).to.have.length(1);
  });

  it('asks again after the time to live, and at once after the user was forgotten', async () => {
    const { client, calls } = countingAccounts();
    const cache = new IdentityCache(client, 30);
    await cache.identify({ token: 'good' });
    await cache.identify({ token: 'good' });
    expect(calls).to.have.length(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    await cache.identify({ token: 'good' });
    expect(calls).to.have.length(2);
    cache.forgetUser('u-ada');
    await cache.identify({ token: 'good' });
    expect(calls).to.have.length(3);
  });

  it('does not keep the answer of a check that was under way when the user was forgotten', async () => {
    const { client, calls } = countingAccounts();
    const cache = new IdentityCache(client);
    const during = cache.identify({ token: 'good' });
    cache.forgetUser('u-ada');
    await during;
    await cache.identify({ token: 'good' });
    expect(calls).to.have.length(2);
  });

  it('neither keeps nor shares a check that was under way when the user was forgotten', async () => {
    const { client, calls } = countingAccounts();
    const cache = new IdentityCache(client);
    const during = cache.identify({ token: 'good' });
    cache.forgetUser('u-ada');
    // Asked after the change: it must not ride on the answer to a question asked before it.
    const after = cache.identify({ token: 'good' });
    await Promise.all([during, after]);
    expect(calls).to.have.length(2);
    // What is kept is the answer to the later question.
    await cache.identify({ token: 'good' });
    expect(calls).to.have.length(2);
  });

  it('keeps nothing for unknown credentials, so made-up tokens cannot fill it', async () => {
    const { client, calls } = countingAccounts();
    const cache = new IdentityCache(client);
    expect(await cache.identify({ token: 'made-up' })).to.equal(null);
    expect(await cache.identify({ token: 'made-up' })).to.equal(null);
    expect(calls).to.have.length(2);
  });
});
