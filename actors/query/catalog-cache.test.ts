import { expect } from 'chai';
import { CatalogCache } from './catalog-cache.js';

/** A computation the test finishes when it wants, counting how often it was started. */
function controlled<T>() {
  const started: ((value: T) => void)[] = [];
  return {
    started,
    compute: () =>
      new Promise<T>((resolve) => {
        started.push(resolve);
      }),
  };
}

describe('catalog cache', () => {
  it('computes on first use and answers from the cache until the dataset changes', async () => {
    const cache = new CatalogCache();
    cache.follow(true);
    let computed = 0;
    const compute = () => Promise.resolve(++computed);
    expect(await cache.get('load', 'areas', compute)).to.equal(1);
    expect(await cache.get('load', 'areas', compute)).to.equal(1);
    cache.invalidate('generation');
    expect(await cache.get('load', 'areas', compute)).to.equal(1);
    cache.invalidate('load');
    expect(await cache.get('load', 'areas', compute)).to.equal(2);
  });

  it('never answers a computation that started before a change to a call made after it', async () => {
    const cache = new CatalogCache();
    cache.follow(true);
    const c = controlled<string>();
    const before = cache.get('load', 'areas', c.compute);
    cache.invalidate('load');
    const after = cache.get('load', 'areas', c.compute);
    expect(c.started).to.have.length(2);
    c.started[0]?.('old');
    c.started[1]?.('new');
    expect(await before).to.equal('old');
    expect(await after).to.equal('new');
    expect(await cache.get('load', 'areas', c.compute)).to.equal('new');
  });

  it('keeps no failure, and keeps nothing while it does not follow the import events', async () => {
    const cache = new CatalogCache();
    cache.follow(true);
    let calls = 0;
    const failing = () => Promise.reject(new Error(`failure ${String(++calls)}`));
    await cache.get('load', 'areas', failing).catch(() => undefined);
    await cache.get('load', 'areas', failing).catch(() => undefined);
    expect(calls).to.equal(2);
    cache.follow(false);
    let computed = 0;
    const compute = () => Promise.resolve(++computed);
    await cache.get('load', 'areas', compute);
    await cache.get('load', 'areas', compute);
    expect(computed).to.equal(2);
  });
});
