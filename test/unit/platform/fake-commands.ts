/** Fake command runners that record every command line and answer from a table. */
import type { CommandResult } from '../../../src/platform/command-runner.js';

export function ok(stdout: string): CommandResult {
  return { exitCode: 0, stdout, stderr: '' };
}

export function failed(exitCode: number, stderr = '', stdout = ''): CommandResult {
  return { exitCode, stdout, stderr };
}

/** Answers by exact command line (`file arg1 arg2`); an unknown command line throws, as a missing binary would. */
export class FakeCommands {
  readonly calls: string[] = [];

  constructor(private readonly answers: Record<string, CommandResult | Error>) {}

  private answer(file: string, args: readonly string[]): CommandResult {
    const line = [file, ...args].join(' ');
    this.calls.push(line);
    const found = this.answers[line];
    if (found === undefined) throw new Error(`unexpected command: ${line}`);
    if (found instanceof Error) throw found;
    return found;
  }

  readonly run = (file: string, args: readonly string[]): Promise<CommandResult> => {
    try {
      return Promise.resolve(this.answer(file, args));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };

  readonly runSync = (file: string, args: readonly string[]): CommandResult => this.answer(file, args);
}
