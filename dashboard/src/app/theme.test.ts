import { expect } from 'chai';
import { describe, it } from 'mocha';
import { parsePreference, resolveTheme } from './theme';

describe('theme', () => {
  it('follows the system unless light or dark was chosen', () => {
    expect(resolveTheme('system', true)).to.equal('dark');
    expect(resolveTheme('system', false)).to.equal('light');
    expect(resolveTheme('light', true)).to.equal('light');
    expect(resolveTheme('dark', false)).to.equal('dark');
  });

  it('reads anything but light or dark from storage as the system choice', () => {
    expect(parsePreference('dark')).to.equal('dark');
    expect(parsePreference('light')).to.equal('light');
    expect(parsePreference(null)).to.equal('system');
    expect(parsePreference('solarized')).to.equal('system');
  });
});
