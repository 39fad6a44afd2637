import { expect } from 'chai';
import { describe, it } from 'mocha';
import { ApiError } from '../api/client';
import { errorMessage } from './error-message';

describe('errorMessage', () => {
  it('says when a rate limit lifts, in whole minutes', () => {
    const limited = Object.assign(
      new ApiError(429, 'RATE_LIMITED', 'too many attempts; try again later', undefined),
      {
        retryAfter: 600,
      },
    );
    expect(errorMessage(limited)).to.equal('Too many attempts. Try again in 10 min.');
    expect(errorMessage(Object.assign(limited, { retryAfter: 61 }))).to.equal(
      'Too many attempts. Try again in 2 min.',
    );
    expect(errorMessage(new ApiError(429, 'RATE_LIMITED', 'x', undefined))).to.equal(
      'Too many attempts. Try again in a few minutes.',
    );
  });

  it("turns the server's message into a sentence", () => {
    expect(
      errorMessage(new ApiError(401, 'INVALID_CREDENTIALS', 'wrong email or password', undefined)),
    ).to.equal('Wrong email or password.');
    expect(
      errorMessage(new ApiError(400, 'INVALID_LINK', 'this link is invalid, used or expired', undefined)),
    ).to.equal('This link is invalid, used or expired.');
    expect(
      errorMessage(
        new ApiError(
          503,
          'BILLING_UNAVAILABLE',
          'subscriptions are not available on this installation',
          undefined,
        ),
      ),
    ).to.equal('Subscriptions are not available on this installation.');
  });

  it('keeps internals and network failures out of the message', () => {
    expect(errorMessage(new ApiError(500, undefined, 'internal error', undefined))).to.equal(
      'Something went wrong on our side. Try again in a moment.',
    );
    expect(errorMessage(new ApiError(503, undefined, 'a service is not available', undefined))).to.match(
      /briefly unavailable/,
    );
    expect(errorMessage(new TypeError('Failed to fetch'))).to.match(/cannot be reached/);
    expect(errorMessage(new Error('boom'))).to.equal('Something went wrong. Try again in a moment.');
  });
});
