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

  it('refuses every path that a browser could resolve to another origin, however it is disguised', () => {
    const hostile = [
      '/..//evil.example/after-login',
      '/../..//evil.example',
      '/.//evil.example',
      '/./../\\evil.example',
      '/x/../../../\\evil.example',
      '/%2e%2e//evil.example',
      '/%2E%2E/%2F/evil.example',
      '/.%2e//evil.example',
      '/%2F%2Fevil.example',
      '/%2f/evil.example',
      '/%5Cevil.example',
      '/%5c%5cevil.example',
      '/..%2F%2Fevil.example',
      '/\\evil.example',
      '/..\\evil.example',
      '/app\\..\\..\\/evil.example',
      '/\u0000/evil.example',
      '/\r\n//evil.example',
      '/\u007f/evil.example',
      '/ /evil.example',
      '/app\t',
      '\t//evil.example',
      ' //evil.example',
      '///evil.example',
      '////evil.example',
      'http://evil.example',
      'HTTPS://evil.example',
      'https:evil.example',
      '//evil.example@energylive.invalid',
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox',
      '%2F%2Fevil.example',
      '/%0d%0a//evil.example',
      '/app/..%2F..%2F%2Fevil.example',
      '/api/../api/v1/auth/logout',
      '/%61pi/v1/me',
    ];
    for (const next of hostile) {
      const safe = safeNext(next, '/home');
      expect(new URL(safe, 'https://app.example').origin, JSON.stringify(next)).to.equal(
        'https://app.example',
      );
      expect(safe, JSON.stringify(next)).to.match(/^\/(?![/\\])/);
      expect(safe, JSON.stringify(next)).not.to.match(/evil|\\/i);
      expect(encodeURI(safe), JSON.stringify(next)).not.to.match(/%[01][0-9A-F]|%7F/);
    }
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
