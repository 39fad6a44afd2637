import { expect } from 'chai';
import { EMAIL_MAX, parseEmail } from './email-address.js';

const refusal = (value: unknown): unknown => {
  try {
    parseEmail(value);
  } catch (err) {
    return err;
  }
  return null;
};

describe('email addresses from requests', () => {
  it('takes real addresses, trimmed and as typed: tags, apostrophes, other scripts, internationalised domains', () => {
    for (const [typed, parsed] of [
      [' Ada.Lovelace+energy@Example.com ', 'Ada.Lovelace+energy@Example.com'],
      ["o'brien@example.ie", "o'brien@example.ie"],
      ['jörg@bücher.de', 'jörg@bücher.de'],
      ['用户@例子.广告', '用户@例子.广告'],
      ['a_b-c@sub.example.co.uk', 'a_b-c@sub.example.co.uk'],
      ['x@xn--mnchen-3ya.de', 'x@xn--mnchen-3ya.de'],
      [`${'x'.repeat(64)}@example.com`, `${'x'.repeat(64)}@example.com`],
    ])
      expect(parseEmail(typed)).to.equal(parsed);
  });

  it('refuses control characters, spaces, bad dots, hosts that are no domain and over-long parts, naming the parameter', () => {
    for (const value of [
      'a\u0000@example.com',
      'a@exam\u0000ple.com',
      'a\u0001b@example.com',
      'a\nb@example.com',
      'a b@example.com',
      'a\u202e@example.com',
      'a\ud800@example.com',
      '"a b"@example.com',
      `${'x'.repeat(65)}@example.com`,
      `a@${'x'.repeat(64)}.com`,
      `a@${'abcdefgh.'.repeat(30)}com`,
      `${'x'.repeat(100_000)}@example.com`,
      'no-at-sign',
      '@example.com',
      'a@localhost',
      'a@@example.com',
      'a@example..com',
      '.a@example.com',
      'a.@example.com',
      'a..b@example.com',
      'a@-example.com',
      'a@exa_mple.com',
      'a@example.c0m1',
      'a@example.com.',
      'a@ex%41mple.com',
      'a@127.0.0.1',
      'a@[127.0.0.1]',
      42,
      null,
      ['a@example.com'],
      { email: 'a@example.com' },
    ])
      expect(refusal(value), JSON.stringify(value).slice(0, 60)).to.include({
        code: 400,
        type: 'BAD_PARAMETER',
      });
    expect((refusal('a\u0000@example.com') as { data: unknown }).data).to.deep.equal({ parameter: 'email' });
    expect(() => parseEmail('nope', 'to'))
      .to.throw()
      .with.property('data')
      .that.deep.equals({ parameter: 'to' });
  });

  it(`counts the ${EMAIL_MAX} octet limit in UTF-8, as mail servers do`, () => {
    const domain = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'com'].join('.');
    expect(parseEmail(`${'u'.repeat(32)}@${domain}`)).to.be.a('string');
    // 228 characters, but 260 octets.
    expect(refusal(`${'ü'.repeat(32)}@${domain}`)).to.include({ code: 400 });
  });
});
