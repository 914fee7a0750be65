import { expect } from 'chai';
import type { SupervisorConfig } from '../../../src/index.js';
import { UnknownServiceNameError, selectServices, withExtraArgs } from '../../../src/cli/selection.js';

const config: SupervisorConfig = {
  services: {
    db: { command: 'db' },
    api: { command: 'api', dependsOn: { db: 'ready' } },
    web: { command: 'web', dependsOn: { api: 'ready' } },
    other: { command: 'other' },
  },
};

describe('service selection of up and run', () => {
  it('starts the named services and everything they depend on; the others do not autostart', () => {
    const selected = selectServices(config, ['api']);
    const autostart = Object.fromEntries(
      Object.entries(selected.services).map(([n, s]) => [n, s.autostart ?? true]),
    );
    expect(autostart).to.deep.equal({ db: true, api: true, web: false, other: false });
    expect(selectServices(config, [])).to.equal(config);
  });

  it('refuses an unknown name', () => {
    expect(() => selectServices(config, ['apii'])).to.throw(
      UnknownServiceNameError,
      /apii.*db, api, web, other/,
    );
  });

  it('appends extra arguments: as argv to a program, shell-quoted to a command line', () => {
    const argv = withExtraArgs(config, 'api', ['--grep', 'a b']);
    expect(argv.services['api']!.args).to.deep.equal(['--grep', 'a b']);
    const shell = withExtraArgs({ services: { t: { command: 'npm test', shell: true } } }, 't', [
      '--grep',
      "it's",
    ]);
    expect(shell.services['t']!.command).to.equal(`npm test --grep 'it'\\''s'`);
  });
});
