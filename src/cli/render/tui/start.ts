/**
 * The TUI's wiring: supervisor streams and keys in, throttled row-diffed frames out, and the terminal restored
 * however it ends.
 */
import type { Observable, SchedulerLike } from 'rxjs';
import { Subject, Subscription, asyncScheduler, auditTime, interval } from 'rxjs';
import type { OutputLine, SupervisorEvent, SupervisorState } from '../../../index.js';
import { colorEnabled } from '../color.js';
import { lifecycleText } from '../format.js';
import { applyKey } from './controller.js';
import type { TuiCommand } from './controller.js';
import { FrameDiffer } from './diff.js';
import { layout, logScopeOf, renderFrame } from './frame.js';
import { parseKeys } from './keys.js';
import { LogStore } from './log-store.js';
import { initialView } from './model.js';
import type { TuiModel, TuiView } from './model.js';
import { enterTerminal } from './terminal.js';
import type { TerminalInput } from './terminal.js';
import { treeOrder } from './tree.js';

/** The supervisor streams the TUI reads (a `Supervisor` fits). */
export interface TuiSources {
  readonly state$: Observable<SupervisorState>;
  readonly events$: Observable<SupervisorEvent>;
  readonly output$: Observable<OutputLine>;
}

/** The screen: `process.stdout` fits. */
export interface TuiOutput {
  write(text: string): boolean;
  readonly columns?: number;
  readonly rows?: number;
  on(event: 'resize', listener: () => void): unknown;
  removeListener(event: 'resize', listener: () => void): unknown;
  once?(event: 'drain', listener: () => void): unknown;
}

/** The keyboard: `process.stdin` fits (raw mode is turned on when it is a TTY). */
export interface TuiInput extends TerminalInput {
  on(event: 'data', listener: (data: Buffer | string) => void): unknown;
  removeListener(event: 'data', listener: (data: Buffer | string) => void): unknown;
}

/** What the keys ask the CLI to do. Each gets the instance name of the selected service. */
export interface TuiCallbacks {
  onRestart(name: string): void;
  onStop(name: string): void;
  onKill(name: string): void;
  /** First `q` or Ctrl-C: stop gracefully. */
  onQuit(): void;
  /** Second `q` or Ctrl-C: kill what is still stopping. */
  onForceQuit(): void;
}

/** Options of {@link startTui}. */
export interface TuiOptions {
  readonly supervisor: TuiSources;
  readonly output: TuiOutput;
  readonly input: TuiInput;
  readonly project: string;
  readonly callbacks: TuiCallbacks;
  /** Drives the frame throttle and the uptime tick. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** The supervisor's clock, for uptimes. Default: `scheduler.now()`. */
  readonly now?: () => number;
  /** Colour the screen. Default: on unless `NO_COLOR` (or `FORCE_COLOR=0`) says otherwise. */
  readonly color?: boolean;
  /** Lines kept per service (and merged). Default 1000. */
  readonly logLines?: number;
  /** The least time between frames. Default 33 ms (about 30 fps). */
  readonly frameMs?: number;
  /** How often uptimes refresh while something runs; 0 disables. Default 1000 ms. */
  readonly tickMs?: number;
}

/** A running TUI. */
export interface TuiHandle {
  /** Stops rendering and reading keys, and restores the terminal. Idempotent. */
  dispose(): void;
  /** Restores the terminal only (for a crash or signal path that exits right after). Idempotent. */
  restoreTerminal(): void;
}

/** Takes over the terminal and draws the supervisor's state until disposed. */
export function startTui(options: TuiOptions): TuiHandle {
  const { output, input, callbacks } = options;
  const scheduler = options.scheduler ?? asyncScheduler;
  const now = options.now ?? (() => scheduler.now());
  // The TUI only runs on a terminal, so only the environment can turn colour off.
  const color = options.color ?? colorEnabled({ isTTY: true }, process.env);
  const logs = new LogStore(options.logLines ?? 1000);
  const differ = new FrameDiffer();
  const dirty$ = new Subject<void>();
  const subscription = new Subscription();
  let state: SupervisorState | undefined;
  let view: TuiView = initialView;
  let waitingForDrain = false;
  let disposed = false;

  const size = (): { width: number; height: number } => ({
    width: output.columns ?? 80,
    height: output.rows ?? 24,
  });
  const model = (): TuiModel => ({
    project: options.project,
    state,
    now: now(),
    view,
    logs,
    color,
  });

  const draw = (): void => {
    // Under backpressure a frame is dropped rather than queued: the next one after `drain` shows the latest state.
    if (disposed || waitingForDrain) return;
    const { width, height } = size();
    const text = differ.diff(renderFrame(model(), width, height));
    if (text === '' || output.write(text) || output.once === undefined) return;
    waitingForDrain = true;
    output.once('drain', () => {
      waitingForDrain = false;
      dirty$.next();
    });
  };

  const run = (command: TuiCommand): void => {
    switch (command.type) {
      case 'restart':
        return callbacks.onRestart(command.service);
      case 'stop':
        return callbacks.onStop(command.service);
      case 'kill':
        return callbacks.onKill(command.service);
      case 'quit':
        return callbacks.onQuit();
      case 'forceQuit':
        return callbacks.onForceQuit();
    }
  };

  const onData = (data: Buffer | string): void => {
    for (const key of parseKeys(typeof data === 'string' ? data : data.toString('utf8'))) {
      const rows = treeOrder(state?.services ?? []);
      const current = model();
      const step = applyKey(view, key, {
        rows,
        logs,
        logScope: logScopeOf(current, rows),
        logHeight: layout(rows.length, size().height).log,
      });
      view = step.view;
      if (step.command !== undefined) run(step.command);
    }
    // Keys answer at once (no throttle): a person notices 33 ms of lag on a keypress.
    draw();
  };

  const onResize = (): void => {
    differ.reset();
    output.write('\x1b[2J');
    draw();
  };

  const session = enterTerminal(output, input);
  subscription.add(dirty$.pipe(auditTime(options.frameMs ?? 33, scheduler)).subscribe(draw));
  subscription.add(
    options.supervisor.state$.subscribe((s) => {
      state = s;
      dirty$.next();
    }),
  );
  subscription.add(
    options.supervisor.output$.subscribe((line) => {
      logs.add(line.service, line.stream, line.line);
      dirty$.next();
    }),
  );
  subscription.add(
    options.supervisor.events$.subscribe((event) => {
      const text = lifecycleText(event);
      if (text === undefined) return;
      logs.add('service' in event ? event.service : '', 'event', text);
      dirty$.next();
    }),
  );
  const tickMs = options.tickMs ?? 1000;
  if (tickMs > 0) {
    subscription.add(
      interval(tickMs, scheduler).subscribe(() => {
        if (state?.services.some((s) => s.status === 'running' || s.status === 'backoff')) dirty$.next();
      }),
    );
  }
  input.on('data', onData);
  output.on('resize', onResize);
  draw();

  return {
    restoreTerminal: () => session.restore(),
    dispose() {
      if (disposed) return;
      disposed = true;
      subscription.unsubscribe();
      input.removeListener('data', onData);
      output.removeListener('resize', onResize);
      session.restore();
    },
  };
}
