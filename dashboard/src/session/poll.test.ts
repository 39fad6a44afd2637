import { expect } from 'chai';
import { describe, it } from 'mocha';
import { pollUntil } from './poll';

describe('pollUntil', () => {
  const counter = () => {
    let n = 0;
    return () => Promise.resolve(++n);
  };

  it('stops at the first awaited answer, pausing between tries', async () => {
    const pauses: number[] = [];
    const sleep = (ms: number) => {
      pauses.push(ms);
      return Promise.resolve();
    };
    expect(await pollUntil(counter(), (n) => n === 3, { attempts: 10, intervalMs: 500, sleep })).to.equal(3);
    expect(pauses).to.deep.equal([500, 500]);
  });

  it('gives up after its attempts with the last answer', async () => {
    const sleep = () => Promise.resolve();
    expect(await pollUntil(counter(), () => false, { attempts: 4, intervalMs: 1, sleep })).to.equal(4);
    expect(await pollUntil(counter(), () => true, { attempts: 4, intervalMs: 1, sleep })).to.equal(1);
  });
});
