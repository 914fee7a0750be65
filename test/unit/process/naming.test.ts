import { expect } from 'chai';
import { autoName } from '../../../src/process/naming.js';

describe('autoName', () => {
  const env = { FOO: 'foo' };
  it('uses the program basename only by default, never arguments, env or cwd', () => {
    expect(autoName('/usr/bin/ls', ['--token=secret'], env, './', {})).to.equal('ls');
  });

  it('adds quoted arguments, explicit env and cwd only when asked', () => {
    expect(autoName('ls', ['-la'], env, './', { args: true })).to.equal('ls "-la"');
    expect(autoName('ls', ['-la'], env, './', { args: true, env: true })).to.equal('FOO=foo ls "-la"');
    expect(autoName('ls', ['-la'], env, './', { args: true, env: true, cwd: true })).to.equal(
      './ % FOO=foo ls "-la"',
    );
    expect(autoName('ls', ['-la'], undefined, './', { args: true, cwd: true })).to.equal('./ % ls "-la"');
  });
});
