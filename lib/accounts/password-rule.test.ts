import { expect } from 'chai';
import { passwordLength, passwordProblem } from './password-rule.js';

const EMAIL = 'Ada.Lovelace+energy@example.com';

describe('the password rule (server and dashboard)', () => {
  it('accepts 8 to 128 characters', () => {
    expect(passwordProblem('abcdefg')).to.equal('Use at least 8 characters.');
    expect(passwordProblem('abcdefgh')).to.equal(null);
    expect(passwordProblem('ab'.repeat(64))).to.equal(null);
    expect(passwordProblem('ab'.repeat(64) + 'c')).to.equal('Use at most 128 characters.');
  });

  it('counts characters as people do (code points), not UTF-16 units', () => {
    expect(passwordLength('🔋⚡🔋⚡')).to.equal(4);
    expect(passwordProblem('🔋⚡🔋⚡🔋⚡🔋')).to.equal('Use at least 8 characters.');
    expect(passwordProblem('🔋⚡'.repeat(64))).to.equal(null);
  });

  it('refuses a password of only spaces, line breaks, control or invisible characters', () => {
    for (const password of [
      ' '.repeat(8),
      '\t \n \r \t \n',
      '\u00a0'.repeat(10),
      '\u3000 \u2003 \u2009 \u200a ',
      '\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007',
      '\u200b\u200c\u200d\u2060\ufeff\u200b\u200c\u200d',
      ' \u0007 \u200b \u0085 \u2028 ',
    ])
      expect(passwordProblem(password), JSON.stringify(password)).to.equal(
        'Use letters, digits or symbols, not only spaces or invisible characters.',
      );
  });

  it('refuses control characters anywhere (NUL, tab, line breaks, DEL, C1), and keeps format characters', () => {
    for (const password of [
      'correct horse\u0000battery',
      'correct\thorse battery',
      'correct horse\nbattery',
      'correct horse\r\nbattery',
      'correct horse battery\u007f',
      'correct horse\u0085battery',
      '\u0000correct horse battery',
    ])
      expect(passwordProblem(password), JSON.stringify(password)).to.equal(
        'Use letters, digits, symbols and spaces, not control characters such as tabs or line breaks.',
      );
    expect(passwordProblem('family 👨\u200d👩\u200d👧 photos')).to.equal(null);
  });

  it('refuses one character repeated, whatever its case or script', () => {
    for (const password of ['aaaaaaaa', 'AaAaAaAaAa', '11111111111', '🔋'.repeat(9), '........', 'éééééééé'])
      expect(passwordProblem(password), password).to.equal('Use more than one character repeated.');
    // The same letter composed of two code points is still one character repeated.
    expect(passwordProblem('e\u0301'.repeat(8))).to.equal('Use more than one character repeated.');
    expect(passwordProblem('aaaaaaab')).to.equal(null);
  });

  it('refuses the product name in any case or width', () => {
    for (const password of ['energylive', 'MyEnergyLive2024', 'x ENERGYLIVE x', 'ｅｎｅｒｇｙｌｉｖｅ!!'])
      expect(passwordProblem(password), password).to.equal('Do not use “EnergyLive” in your password.');
    expect(passwordProblem('energy is live now')).to.equal(null);
  });

  it("refuses the email's local part, with or without its +tag and separators, in any case", () => {
    for (const password of [
      'ada.lovelace+energy!',
      'my ADA.LOVELACE password',
      'ada.lovelace1815',
      'adalovelace-1815',
      'xxAdaLovelacexx',
    ])
      expect(passwordProblem(password, EMAIL), password).to.equal(
        'Do not use your email address in your password.',
      );
    expect(passwordProblem('lovelace counts 1815', EMAIL)).to.equal(null);
    expect(passwordProblem('ada.lovelace1815')).to.equal(null);
  });

  it('ignores local parts under four characters: they are ordinary syllables', () => {
    expect(passwordProblem('a banana a day', 'a@x.org')).to.equal(null);
    expect(passwordProblem('tomato soup recipe', 'tom@example.com')).to.equal(null);
    expect(passwordProblem('anna karenina', 'anna@example.com')).to.equal(
      'Do not use your email address in your password.',
    );
    expect(passwordProblem('a banana a day', 'not an email')).to.equal(null);
  });
});
