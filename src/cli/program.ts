import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { printResolvedConfig, printSchema, validateConfig } from './commands/config.js';
import { up } from './commands/up.js';
import { EXIT } from './exit-status.js';
import type { CliIo } from './io.js';
import { UI_CHOICES } from './ui-mode.js';

interface RunOptionValues {
  readonly file?: string;
  readonly ui: (typeof UI_CHOICES)[number];
  readonly timestamps?: boolean;
}
interface UpOptionValues extends RunOptionValues {
  readonly names?: string;
  readonly success?: string;
  readonly exitCodeFrom?: string;
}

/** The package's version: the nearest `package.json` named rxproc above this module (dist/cli, src/cli, a copy). */
function version(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'rxproc' && manifest.version !== undefined) return manifest.version;
    } catch {
      // not here: look further up
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}

/**
 * Runs the command line `argv` (without `node` and the script) and resolves with the exit status. Everything after
 * the first `--` is set aside before parsing: the commands of an ad-hoc `up`, or the extra arguments of `run`.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const split = argv.indexOf('--');
  const before = split === -1 ? [...argv] : argv.slice(0, split);
  const after = split === -1 ? [] : argv.slice(split + 1);
  let status: number = EXIT.ok;
  const program = new Command('rxproc')
    .description(
      'Run a project of processes: dependencies, readiness, restarts, ordered shutdown, a live dashboard.',
    )
    .version(version(), '-v, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(rxproc --help for usage)');
  const fileOption = (): Option =>
    new Option('-f, --file <path>', 'config file (default: rxproc.yaml, rxproc.yml or Procfile here)');
  const uiOption = (): Option =>
    new Option(
      '--ui <mode>',
      'dashboard, prefixed lines or NDJSON events; auto = dashboard on a terminal outside CI',
    )
      .choices(UI_CHOICES)
      .default('auto');

  program
    .command('up', { isDefault: true })
    .description('start the services (all, or the named ones and what they depend on) and watch them')
    .argument('[services...]', 'services to start, with their dependencies')
    .addOption(fileOption())
    .addOption(uiOption())
    .option('--timestamps', 'prefix lines with the time')
    .option('--names <names>', 'names of ad-hoc commands, comma-separated')
    .option('--success <rule>', 'which end decides the exit status: all, first, last or a service', undefined)
    .option('--exit-code-from <service>', 'stop everything when this service ends, and exit with its code')
    .addHelpText(
      'after',
      '\nAd-hoc commands without a config file: rxproc up -- "npm run dev" "tsc -w"\n\nExit status: 0 all well, 1 a service failed, 2 usage or config error, 3 a dependency or readiness check failed, 128+n after a signal.',
    )
    .action(async (services: string[], values: UpOptionValues) => {
      status = await up(
        {
          ...(values.file === undefined ? {} : { file: values.file }),
          services,
          adhoc: after,
          names: values.names === undefined ? [] : values.names.split(',').map((name) => name.trim()),
          ui: values.ui,
          timestamps: values.timestamps === true,
          ...(values.success === undefined ? {} : { success: values.success }),
          ...(values.exitCodeFrom === undefined ? {} : { exitCodeFrom: values.exitCodeFrom }),
        },
        io,
      );
    });

  program
    .command('run')
    .description("start a service's dependencies, then the service; exit with its code")
    .argument('<service>', 'the service to run')
    .addOption(fileOption())
    .addOption(uiOption())
    .option('--timestamps', 'prefix lines with the time')
    .addHelpText(
      'after',
      "\nArguments after -- are appended to the service's command: rxproc run test -- --grep api",
    )
    .action(async (service: string, values: RunOptionValues) => {
      status = await up(
        {
          ...(values.file === undefined ? {} : { file: values.file }),
          services: [],
          adhoc: [],
          names: [],
          ui: values.ui,
          timestamps: values.timestamps === true,
          run: { service, args: after },
        },
        io,
      );
    });

  const config = program.command('config').description('check, print or describe the configuration');
  config
    .command('validate')
    .description('check a config file; every problem with file:line:col (exit status 2)')
    .addOption(fileOption())
    .action((values: { file?: string }) => {
      status = validateConfig(values.file, io);
    });
  config
    .command('print')
    .description('print the resolved configuration')
    .addOption(fileOption())
    .option('--json', 'as JSON')
    .action((values: { file?: string; json?: boolean }) => {
      status = printResolvedConfig(values.file, values.json === true, io);
    });
  config
    .command('schema')
    .description('print the JSON Schema of rxproc.yaml, for editor completion')
    .action(() => {
      status = printSchema(io);
    });

  try {
    await program.parseAsync(before, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help and --version end here with code 0; a usage error with 2.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  return status;
}
