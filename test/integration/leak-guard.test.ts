import { expect } from 'chai';
import { spawn as spawnRaw } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPidAlive } from '../support/processes.js';

describe('the leak guard of this suite', function () {
  this.timeout(30_000);

  it('fails a test that leaves a process alive, and kills that process', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'rxproc-leak-')), 'pid');
    const mocha = spawnRaw(
      process.execPath,
      ['node_modules/mocha/bin/mocha.js', '--reporter', 'dot', 'test/fixtures/leaky.spec.ts'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LEAKY_PID_FILE: pidFile } },
    );
    let output = '';
    mocha.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    mocha.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(mocha, 'exit')) as [number | null];
    expect(code, output).to.not.equal(0);
    expect(output).to.include('left 1 process(es) alive');
    const leakedPid = Number(readFileSync(pidFile, 'utf8'));
    expect(leakedPid).to.be.greaterThan(1);
    expect(isPidAlive(leakedPid)).to.equal(false);
  });
});
