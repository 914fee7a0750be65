/** A TUI wired to a headless xterm (100×30), fake supervisor subjects, fake keys and a virtual clock. */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type * as XtermTypes from '@xterm/headless';
import { BehaviorSubject, Subject, VirtualTimeScheduler } from 'rxjs';
import sinon from 'sinon';
import { startTui } from '../../../../src/cli/render/tui/start.js';
import type { TuiHandle } from '../../../../src/cli/render/tui/start.js';
import type {
  OutputLine,
  ServiceState,
  SupervisorEvent,
  SupervisorState,
} from '../../../../src/supervisor/state-types.js';

// The package is a CommonJS bundle flagged `__esModule` without a default export, so ESM interop finds nothing
// under `default`; require gives the real exports.
const xterm = createRequire(import.meta.url)('@xterm/headless') as typeof XtermTypes;

class FakeOutput extends EventEmitter {
  readonly writes: string[] = [];
  columns = 100;
  rows = 30;
  #settled: Promise<void> = Promise.resolve();
  constructor(readonly term: XtermTypes.Terminal) {
    super();
  }
  write(text: string): boolean {
    this.writes.push(text);
    this.#settled = this.#settled.then(() => new Promise<void>((resolve) => this.term.write(text, resolve)));
    return true;
  }
  settled(): Promise<void> {
    return this.#settled;
  }
}

class FakeInput extends EventEmitter {
  readonly isTTY = true;
  readonly setRawMode = sinon.spy();
  resume(): void {}
  pause(): void {}
}

export interface TuiHarness {
  readonly term: XtermTypes.Terminal;
  readonly output: FakeOutput;
  readonly input: FakeInput;
  readonly state$: BehaviorSubject<SupervisorState>;
  readonly events$: Subject<SupervisorEvent>;
  readonly output$: Subject<OutputLine>;
  readonly callbacks: {
    onRestart: sinon.SinonSpy;
    onStop: sinon.SinonSpy;
    onKill: sinon.SinonSpy;
    onQuit: sinon.SinonSpy;
    onForceQuit: sinon.SinonSpy;
  };
  readonly tui: TuiHandle;
  /** Moves virtual time forward, running what falls due. */
  advance(ms: number): void;
  /** The screen's lines once every write reached the terminal. */
  screen(): Promise<string[]>;
  setServices(services: readonly ServiceState[]): void;
}

export function startHarness(services: readonly ServiceState[], color = false): TuiHarness {
  const term = new xterm.Terminal({ cols: 100, rows: 30, allowProposedApi: true });
  const output = new FakeOutput(term);
  const input = new FakeInput();
  const scheduler = new VirtualTimeScheduler();
  scheduler.maxFrames = 0;
  const state$ = new BehaviorSubject<SupervisorState>({ phase: 'running', at: 0, services });
  const events$ = new Subject<SupervisorEvent>();
  const output$ = new Subject<OutputLine>();
  const callbacks = {
    onRestart: sinon.spy(),
    onStop: sinon.spy(),
    onKill: sinon.spy(),
    onQuit: sinon.spy(),
    onForceQuit: sinon.spy(),
  };
  const tui = startTui({
    supervisor: { state$, events$, output$ },
    output,
    input,
    project: 'shop',
    callbacks,
    scheduler,
    color,
  });
  return {
    term,
    output,
    input,
    state$,
    events$,
    output$,
    callbacks,
    tui,
    advance(ms) {
      scheduler.maxFrames = scheduler.frame + ms;
      scheduler.flush();
      scheduler.frame = scheduler.maxFrames;
    },
    async screen() {
      await output.settled();
      const buffer = term.buffer.active;
      const lines: string[] = [];
      for (let y = 0; y < term.rows; y++) lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
      return lines;
    },
    setServices(next) {
      state$.next({ phase: 'running', at: scheduler.frame, services: next });
    },
  };
}
