/**
 * linesOf$ / chunksOf$ / linesOf with real processes: cold output that ends its child when the consumer leaves
 * (take, switchMap, break), spawn failures and failed exits as typed errors.
 */
import { expect } from 'chai';
import { firstValueFrom, lastValueFrom, Subject, switchMap, take, toArray } from 'rxjs';
import { chunksOf$, ExitError, linesOf, linesOf$, SpawnError } from '../../src/index.js';
import { findMarkedProcesses } from '../support/leak-guard.js';
import { waitUntil } from '../support/wait.js';
import { rejectionOf } from '../support/rejection.js';

async function noProcessLeft(): Promise<void> {
  await waitUntil('no child of the test is alive', () => findMarkedProcesses().length === 0);
}

describe('linesOf$ and chunksOf$', function () {
  this.timeout(20_000);

  it('take(3) on seq emits 1, 2, 3 and leaves no process', async () => {
    const lines = await lastValueFrom(linesOf$('seq', ['1', '1000000']).pipe(take(3), toArray()));
    expect(lines).to.deep.equal(['1', '2', '3']);
    await noProcessLeft();
  });

  it('take(3) on an endless producer terminates it', async () => {
    // `yes` never ends on its own: only the unsubscription can stop it before the leak guard sees it.
    const lines = await lastValueFrom(linesOf$('yes', ['y']).pipe(take(3), toArray()));
    expect(lines).to.deep.equal(['y', 'y', 'y']);
    await noProcessLeft();
  });

  it('a switchMap moving on terminates the previous child', async () => {
    const runs = new Subject<number>();
    const seen: string[] = [];
    const subscription = runs
      .pipe(switchMap((n) => linesOf$('sh', ['-c', `echo started-${n}; exec sleep 30`])))
      .subscribe((line) => seen.push(line));
    try {
      runs.next(1);
      await waitUntil('the first child has started', () => seen.includes('started-1'));
      runs.next(2);
      await waitUntil('the second child has started', () => seen.includes('started-2'));
      await waitUntil('only the second child is alive', () => findMarkedProcesses().length === 1);
    } finally {
      subscription.unsubscribe();
    }
    await noProcessLeft();
  });

  it('completes after the output has ended and the child exited, without error on a failed exit by default', async () => {
    const lines = await lastValueFrom(
      linesOf$('sh', ['-c', 'echo one; echo two; echo why >&2; exit 3']).pipe(toArray()),
    );
    expect(lines).to.deep.equal(['one', 'two']);
  });

  it('errors with an ExitError carrying the stderr tail on a failed exit when asked', async () => {
    const lines$ = linesOf$('sh', ['-c', 'echo one; echo first >&2; echo why >&2; exit 3'], {
      errorOnFailure: true,
    });
    const error = await rejectionOf(lastValueFrom(lines$));
    expect(error).to.be.instanceOf(ExitError);
    expect(error).to.include({ code: 'NON_ZERO_EXIT', exitCode: 3, signal: null, processName: 'sh' });
    expect((error as ExitError).stderrTail).to.deep.equal(['first', 'why']);
  });

  it('errors with the SpawnError when the command cannot start', async () => {
    const error = await rejectionOf(firstValueFrom(linesOf$('rxproc-no-such-command')));
    expect(error).to.be.instanceOf(SpawnError);
    expect(error).to.include({ code: 'COMMAND_NOT_FOUND' });
  });

  it('chunksOf$ emits the bytes from the first one', async () => {
    const chunks = await lastValueFrom(chunksOf$('printf', ['abc\\ndef']).pipe(toArray()));
    expect(Buffer.concat(chunks).toString()).to.equal('abc\ndef');
  });
});

describe('linesOf', function () {
  this.timeout(20_000);

  it('break ends the child before the loop is left', async () => {
    const seen: string[] = [];
    for await (const line of linesOf('yes', ['y'])) {
      seen.push(line);
      if (seen.length === 3) break;
    }
    expect(seen).to.deep.equal(['y', 'y', 'y']);
    expect(findMarkedProcesses()).to.deep.equal([]);
  });

  it('yields every line of a child that ends on its own', async () => {
    const seen: string[] = [];
    for await (const line of linesOf('seq', ['1', '5'])) seen.push(line);
    expect(seen).to.deep.equal(['1', '2', '3', '4', '5']);
  });

  it('throws the SpawnError, and with errorOnFailure an ExitError', async () => {
    const iterate = async (command: string, args: string[], errorOnFailure: boolean): Promise<string[]> => {
      const seen: string[] = [];
      for await (const line of linesOf(command, args, { errorOnFailure })) seen.push(line);
      return seen;
    };
    expect(await rejectionOf(iterate('rxproc-no-such-command', [], false))).to.be.instanceOf(SpawnError);
    expect(await iterate('sh', ['-c', 'echo out; exit 4'], false)).to.deep.equal(['out']);
    const error = await rejectionOf(iterate('sh', ['-c', 'echo out; exit 4'], true));
    expect(error).to.be.instanceOf(ExitError);
    expect(error).to.include({ exitCode: 4 });
  });
});
