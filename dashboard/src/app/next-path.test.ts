import { expect } from 'chai';
import { describe, it } from 'mocha';
import { isServerPath, safeNext, signInPath } from './next-path';

describe('safeNext', () => {
  it('keeps a page of the app with its query and hash', () => {
    expect(safeNext('/account')).to.equal('/account');
    expect(safeNext('/app?area=DE&dataset=load#stats')).to.equal('/app?area=DE&dataset=load#stats');
  });

  it('falls back for anything that leaves the app or is not a path', () => {
    for (const next of [
      null,
      '',
      'account',
      '//evil.example/x',
      '/\\evil.example',
      '/\\/evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/api/v1/auth/logout',
      '/api',
      '/metrics',
    ])
      expect(safeNext(next, '/home'), String(next)).to.equal('/home');
  });

  it('normalises dot segments before deciding', () => {
    expect(safeNext('/app/../api/v1/me')).to.equal('/app');
    expect(safeNext('/x/../account')).to.equal('/account');
  });
});

describe('signInPath', () => {
  it('carries the page to return to, encoded', () => {
    expect(signInPath('/app?area=DE&x=1')).to.equal('/signin?next=%2Fapp%3Farea%3DDE%26x%3D1');
    expect(safeNext(new URLSearchParams(signInPath('/app?area=DE').split('?')[1]).get('next'))).to.equal(
      '/app?area=DE',
    );
  });
});

describe('isServerPath', () => {
  it('names the API and the probes, not the pages', () => {
    expect(isServerPath('/api/v1/auth/connect/google')).to.equal(true);
    expect(isServerPath('/healthz')).to.equal(true);
    expect(isServerPath('/apis')).to.equal(false);
    expect(isServerPath('/app')).to.equal(false);
  });
});
