/**
 * What one TUI frame is drawn from: the latest supervisor snapshot, the log memory and the user's view choices.
 */
import type { ServiceStatus, SupervisorState } from '../../../index.js';
import type { LogSource } from './log-store.js';

/** The user's choices: which row is selected, which logs show, whether they follow. */
export interface TuiView {
  /** The selected service's instance name (by name, so the selection survives reordering). */
  readonly selected: string | undefined;
  /** Show the selected service's logs, or all services' merged. */
  readonly logScope: 'selected' | 'all';
  /** `undefined` while following the newest line; otherwise the sequence number of the last line shown. */
  readonly anchor: number | undefined;
  /** After a first `q`: the footer says a second one forces. */
  readonly quitRequested: boolean;
}

/** Everything {@link renderFrame} reads. */
export interface TuiModel {
  readonly project: string;
  readonly state: SupervisorState | undefined;
  /** The supervisor scheduler's current time, for uptimes and backoff countdowns. */
  readonly now: number;
  readonly view: TuiView;
  readonly logs: LogSource;
  readonly color: boolean;
}

/** The initial view: first service selected, its logs, following. */
export const initialView: TuiView = {
  selected: undefined,
  logScope: 'all',
  anchor: undefined,
  quitRequested: false,
};

/** A glyph and a colour name per status (the colour is applied only when colour is on). */
export const statusLook: Readonly<
  Record<ServiceStatus, { glyph: string; color: 'green' | 'yellow' | 'red' | 'dim' | 'cyan' }>
> = {
  waiting: { glyph: '○', color: 'dim' },
  starting: { glyph: '◐', color: 'yellow' },
  running: { glyph: '●', color: 'green' },
  backoff: { glyph: '↻', color: 'yellow' },
  stopping: { glyph: '◌', color: 'yellow' },
  completed: { glyph: '✓', color: 'cyan' },
  stopped: { glyph: '■', color: 'dim' },
  failed: { glyph: '✗', color: 'red' },
  skipped: { glyph: '⊘', color: 'dim' },
};
