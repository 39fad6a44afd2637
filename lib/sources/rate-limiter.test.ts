import { expect } from 'chai';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('lets `limit` requests start at once and holds the next until the window has passed', async () => {
    const limiter = new RateLimiter(3, 200);
    const started = Date.now();
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, () => limiter.acquire().then(() => times.push(Date.now() - started))),
    );
    expect(times.slice(0, 3).every((t) => t < 50)).to.equal(true);
    expect(times[3]).to.be.at.least(190);
    expect(times[4]).to.be.at.least(190);
  });

  it('holds every request during a pause, and a shorter pause does not cut a longer one', async () => {
    const limiter = new RateLimiter(100, 1000);
    const started = Date.now();
    limiter.pauseUntil(started + 200);
    limiter.pauseUntil(started + 50);
    await limiter.acquire();
    expect(Date.now() - started).to.be.at.least(190);
    expect(limiter.resumeAt).to.equal(started + 200);
  });

  it('gives up waiting when the signal is aborted', async () => {
    const limiter = new RateLimiter(1, 10_000);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('shutting down'));
    const error = await waiting.catch((err: unknown) => err);
    expect((error as Error).message).to.equal('shutting down');
  });
});
