import { constants } from 'node:os';
import { RxprocError, type SignalName, type SupervisorConfig, supervise } from '../../index.js';
import { adhocProject, formatProblem, loadConfig } from '../config/index.js';
import type { LoadedProject } from '../config/index.js';
import { EXIT, type EndRecord, type SuccessRule, exitStatusOf, recordEnd } from '../exit-status.js';
import type { CliIo } from '../io.js';
import { colorEnabled } from '../render/index.js';
import { UnknownServiceNameError, selectServices, withExtraArgs } from '../selection.js';
import { UI_CHOICES, resolveUiMode } from '../ui-mode.js';
import { startView } from '../views.js';

/** Options of `up` (and of `run`, which is `up` of one service that decides the exit status). */
export interface UpOptions {
  readonly file?: string;
  readonly services: readonly string[];
  /** Commands after `--`: an ad-hoc project without a file. */
  readonly adhoc: readonly string[];
  readonly names: readonly string[];
  readonly ui: (typeof UI_CHOICES)[number];
  readonly timestamps: boolean;
  readonly success?: string;
  readonly exitCodeFrom?: string;
  readonly run?: { readonly service: string; readonly args: readonly string[] };
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** Stop signals closer together than this are one interrupt delivered twice. */
const SAME_INTERRUPT_MS = 300;
/** A deciding process that reached one of these will not run again: the run ends. */
const DECIDING_ENDS: ReadonlySet<string> = new Set(['completed', 'failed', 'skipped']);

/**
 * Runs the project until it ends: every service ended on its own, an `exit_on_end` service (or the one of
 * `--exit-code-from`, or `run`'s) ended, or a stop signal (a second one kills). Resolves with the exit status.
 */
export async function up(options: UpOptions, io: CliIo): Promise<number> {
  const loaded =
    options.adhoc.length > 0
      ? adhocProject(options.adhoc, options.names)
      : loadConfig({
          ...(options.file === undefined ? {} : { file: options.file }),
          cwd: io.cwd,
          environment: io.env,
        });
  if (!loaded.ok) {
    for (const problem of loaded.errors) io.stderr.write(`${formatProblem(problem)}\n`);
    return EXIT.usage;
  }
  const project = loaded.project;
  const mode = resolveUiMode(options.ui, io.stdout, io.stdin, io.env);
  const color =
    mode === 'tui'
      ? io.env['NO_COLOR'] === undefined || io.env['NO_COLOR'] === ''
      : colorEnabled(io.stdout, io.env);
  let config: SupervisorConfig;
  let rule: SuccessRule;
  try {
    config = selectServices(
      project.config,
      options.run === undefined ? options.services : [options.run.service],
    );
    if (options.run !== undefined) config = withExtraArgs(config, options.run.service, options.run.args);
    rule = successRule(options, project);
    if (color) config = keepingColour(config);
  } catch (error) {
    if (!(error instanceof UnknownServiceNameError)) throw error;
    io.stderr.write(`rxproc: ${error.message}\n`);
    return EXIT.usage;
  }
  let supervisor;
  try {
    // rxproc handles the signals itself below: the supervisor must not end the process by re-raising them.
    supervisor = supervise(config, {
      parentSignals: 'none',
      // Sampling reads every process's /proc/<pid>/stat: every 2 s keeps an idle dashboard near 1 % of a core.
      usageIntervalMs: mode === 'lines' ? false : 2000,
    });
  } catch (error) {
    if (!(error instanceof RxprocError)) throw error;
    io.stderr.write(`rxproc: ${error.message}\n`);
    return EXIT.usage;
  }
  // The processes whose end ends the run: --exit-code-from, run's service, exit_on_end (not --success: it only
  // decides the status).
  const deciders = new Set(project.exitOnEnd);
  const decidingService = options.exitCodeFrom ?? options.run?.service;
  if (decidingService !== undefined) deciders.add(decidingService);
  const ends: EndRecord[] = [];
  let endedBy: string | undefined;
  supervisor.events$.subscribe((event) => {
    recordEnd(ends, event);
    if (event.type !== 'status' || !DECIDING_ENDS.has(event.status)) return;
    const service = event.service.replace(/\.\d+$/, '');
    if (!deciders.has(service) || supervisor.state.phase !== 'running') return;
    endedBy = service;
    void supervisor.stop({ type: 'serviceEnded', service: event.service });
  });
  let interrupted: SignalName | undefined;
  let interruptedAt = 0;
  const stopSignal = (signal: SignalName): void => {
    if (interrupted === undefined) {
      interrupted = signal;
      interruptedAt = Date.now();
      // A stop already under way (an exit_on_end) goes on; only a second signal kills.
      if (supervisor.state.phase === 'running') void supervisor.stop({ type: 'signal', signal });
      return;
    }
    // One Ctrl-C often arrives twice: from the terminal to the whole foreground group, and relayed by a parent
    // such as npm or tsx. A second press is a person's, and takes longer than this.
    if (Date.now() - interruptedAt < SAME_INTERRUPT_MS) return;
    void supervisor.kill();
  };
  const view = startView(
    mode,
    supervisor,
    io,
    { color, timestamps: options.timestamps, project: project.name },
    {
      interrupt: () => stopSignal('SIGINT'),
      force: () => stopSignal('SIGINT'),
    },
  );
  const removers = STOP_SIGNALS.map((signal) => io.onSignal(signal, () => stopSignal(signal)));
  // A reader that went away (`rxproc up | head`): stop in order, quietly, as a shell pipeline expects (SIGPIPE).
  const onOutputError = (): void => stopSignal('SIGPIPE');
  io.stdout.on('error', onOutputError);
  const report = await supervisor.stopped;
  for (const remove of removers) remove();
  io.stdout.removeListener('error', onOutputError);
  await view.close(report);
  if (interrupted !== undefined) return 128 + constants.signals[interrupted];
  const decided =
    endedBy !== undefined && options.success === undefined && options.exitCodeFrom === undefined
      ? { type: 'service' as const, service: endedBy }
      : rule;
  return exitStatusOf(decided, report, supervisor.state, ends);
}

/** `--exit-code-from`, then `run`'s service, then `--success`; default `all`. */
function successRule(options: UpOptions, project: LoadedProject): SuccessRule {
  const service = options.exitCodeFrom ?? options.run?.service;
  const named = (name: string): SuccessRule => {
    if (project.config.services[name] === undefined)
      throw new UnknownServiceNameError(name, Object.keys(project.config.services));
    return { type: 'service', service: name };
  };
  if (service !== undefined) return named(service);
  switch (options.success ?? 'all') {
    case 'all':
      return { type: 'all' };
    case 'first':
      return { type: 'first' };
    case 'last':
      return { type: 'last' };
    default:
      return named(options.success!);
  }
}

/** Children whose output we print in colour are told to keep their own colours (they see a pipe, not a terminal). */
function keepingColour(config: SupervisorConfig): SupervisorConfig {
  const services = Object.fromEntries(
    Object.entries(config.services).map(([name, service]) => [
      name,
      service.env?.['FORCE_COLOR'] !== undefined || service.env?.['NO_COLOR'] !== undefined
        ? service
        : { ...service, env: { ...service.env, FORCE_COLOR: '1' } },
    ]),
  );
  return { ...config, services };
}
