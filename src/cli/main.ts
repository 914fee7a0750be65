#!/usr/bin/env node
/** The `rxproc` command. Everything CLI-only (commander, yaml, zod, terminal libraries) loads from here, never from the library entry. */
import { processIo } from './io.js';
import { runCli } from './program.js';
import { restoreTerminal } from './render/index.js';

const io = processIo();

function fail(error: unknown): void {
  restoreTerminal();
  io.stderr.write(
    `rxproc: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(70);
}
process.on('uncaughtException', fail);

runCli(process.argv.slice(2), io).then((status) => {
  // Let what is written reach a pipe or a file before leaving: process.exit would cut it short.
  const exit = (): void => process.exit(status);
  if (process.stdout.writableLength === 0 || process.stdout.destroyed) exit();
  else {
    process.stdout.once('drain', exit);
    process.stdout.once('close', exit);
  }
}, fail);
