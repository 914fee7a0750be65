import { configJsonSchema, formatProblem, loadConfig, printConfig } from '../config/index.js';
import { EXIT } from '../exit-status.js';
import type { CliIo } from '../io.js';

/** `rxproc config validate`: every problem with its position (status 2), or a one-line summary (status 0). */
export function validateConfig(file: string | undefined, io: CliIo): number {
  const loaded = loadConfig({ ...(file === undefined ? {} : { file }), cwd: io.cwd, environment: io.env });
  if (!loaded.ok) {
    for (const problem of loaded.errors) io.stderr.write(`${formatProblem(problem)}\n`);
    io.stderr.write(`${loaded.errors.length} problem${loaded.errors.length === 1 ? '' : 's'}\n`);
    return EXIT.usage;
  }
  const names = Object.keys(loaded.project.config.services);
  io.stdout.write(
    `${loaded.project.file ?? 'config'}: valid, ${names.length} processes (${names.join(', ')})\n`,
  );
  return EXIT.ok;
}

/** `rxproc config print`: the resolved configuration (durations in ms, defaults applied where the loader sets them). */
export function printResolvedConfig(file: string | undefined, json: boolean, io: CliIo): number {
  const loaded = loadConfig({ ...(file === undefined ? {} : { file }), cwd: io.cwd, environment: io.env });
  if (!loaded.ok) {
    for (const problem of loaded.errors) io.stderr.write(`${formatProblem(problem)}\n`);
    return EXIT.usage;
  }
  const text = printConfig(loaded.project, json ? 'json' : 'yaml');
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return EXIT.ok;
}

/** `rxproc config schema`: the JSON Schema of `rxproc.yaml`, for editors. */
export function printSchema(io: CliIo): number {
  io.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  return EXIT.ok;
}
