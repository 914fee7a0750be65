import { expect } from 'chai';
import { loadYaml } from '../../../../src/cli/config/index.js';

describe('config: what only the supervisor knows is placed in the file too', () => {
  it("'completed' on a process restarted after every exit", () => {
    const text =
      'processes:\n  loop:\n    command: echo hi\n    restart: always\n  after:\n    command: echo\n    depends_on: { loop: completed }\n';
    const result = loadYaml(text, 'rxproc.yaml', {});
    if (result.ok) expect.fail('expected a problem');
    expect(result.errors).to.have.length(1);
    expect(result.errors[0]).to.deep.include({ line: 7, path: 'processes.after.depends_on.loop' });
    expect(result.errors[0]!.message).to.contain('can never be met');
  });

  it('a log probe as a liveness probe', () => {
    const result = loadYaml(
      'processes:\n  a:\n    command: sleep 1\n    liveness: { log: x }\n',
      'rxproc.yaml',
      {},
    );
    if (result.ok) expect.fail('expected a problem');
    expect(result.errors[0]).to.deep.include({ line: 4, path: 'processes.a.liveness.log' });
  });
});
