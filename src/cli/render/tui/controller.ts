/**
 * What each key does: a pure step from the current view to the next view plus, at most, one command for the
 * supervisor. Kept apart from I/O so every key can be tested without a terminal.
 */
import type { Key } from './keys.js';
import type { LogScope, LogSource } from './log-store.js';
import type { TuiView } from './model.js';
import type { TreeRow } from './tree.js';
import { selectedIndex } from './frame.js';

/** A command the TUI asks the CLI to carry out. */
export type TuiCommand =
  | { readonly type: 'restart' | 'stop' | 'kill'; readonly service: string }
  | { readonly type: 'quit' | 'forceQuit' };

/** What the controller needs besides the view: the rows in tree order, the logs and the log pane's height. */
export interface KeyContext {
  readonly rows: readonly TreeRow[];
  readonly logs: LogSource;
  readonly logScope: LogScope;
  readonly logHeight: number;
}

/** The next view after `key`, and the command it triggers, if any. Unknown keys change nothing. */
export function applyKey(view: TuiView, key: Key, ctx: KeyContext): { view: TuiView; command?: TuiCommand } {
  const { rows } = ctx;
  const current = rows[selectedIndex(rows, view.selected)]?.service.name;
  const select = (delta: number): TuiView => {
    if (rows.length === 0) return view;
    const i = Math.min(rows.length - 1, Math.max(0, selectedIndex(rows, view.selected) + delta));
    // Moving the selection while showing one service's logs jumps back to following the newly selected one.
    return {
      ...view,
      selected: rows[i]!.service.name,
      anchor: view.logScope === 'all' ? view.anchor : undefined,
    };
  };
  const scroll = (delta: number): TuiView => {
    const from = view.anchor ?? ctx.logs.latest;
    const anchor = ctx.logs.move(ctx.logScope, from, delta);
    // Scrolling down onto the newest line resumes following.
    const atEnd = anchor !== undefined && ctx.logs.move(ctx.logScope, anchor, 1) === anchor && delta > 0;
    return { ...view, anchor: atEnd ? undefined : anchor };
  };
  switch (key) {
    case 'up':
    case 'k':
      return { view: select(-1) };
    case 'down':
    case 'j':
      return { view: select(1) };
    case 'enter':
    case 'a':
      return { view: { ...view, logScope: view.logScope === 'all' ? 'selected' : 'all', anchor: undefined } };
    case 'f':
      return { view: { ...view, anchor: view.anchor === undefined ? (ctx.logs.latest ?? 0) : undefined } };
    case 'pageUp':
      return { view: scroll(-Math.max(1, ctx.logHeight - 1)) };
    case 'pageDown':
      return { view: scroll(Math.max(1, ctx.logHeight - 1)) };
    case 'r':
    case 's':
    case 'K': {
      if (current === undefined) return { view };
      const type = key === 'r' ? 'restart' : key === 's' ? 'stop' : 'kill';
      return { view, command: { type, service: current } };
    }
    case 'q':
    case 'ctrlC':
      return {
        view: { ...view, quitRequested: true },
        command: { type: view.quitRequested ? 'forceQuit' : 'quit' },
      };
    default:
      return { view };
  }
}
