import { expect } from 'chai';
import { describe, it } from 'mocha';
import { passwordLength, passwordProblem } from './password-rule';

describe('password rule', () => {
  it('accepts 8 to 128 characters', () => {
    expect(passwordProblem('x'.repeat(7))).to.equal('Use at least 8 characters.');
    expect(passwordProblem('x'.repeat(8))).to.equal(null);
    expect(passwordProblem('x'.repeat(128))).to.equal(null);
    expect(passwordProblem('x'.repeat(129))).to.equal('Use at most 128 characters.');
  });

  it('counts characters as the server does, not UTF-16 units', () => {
    expect(passwordLength('🔋⚡🔋⚡')).to.equal(4);
    expect(passwordProblem('🔋⚡🔋⚡🔋⚡🔋')).to.equal('Use at least 8 characters.');
    expect(passwordProblem('🔋'.repeat(128))).to.equal(null);
  });
});
