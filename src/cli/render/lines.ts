/**
 * The `lines` output mode: every output line as `name │ text` (stderr: `name ┃ text`, the bar red when coloured),
 * every lifecycle event as `name ◆ sentence`, names padded to the widest, one stable colour per service.
 */
import type { Observable } from 'rxjs';
import { Subscription } from 'rxjs';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import type { OutputLine, SupervisorEvent } from '../../index.js';
import { paint256, serviceColor, styles as pc } from './color.js';
import { formatClock, lifecycleText, restartText } from './format.js';
import { LineBatcher } from './sink.js';
import type { FlushScheduler, TextSink } from './sink.js';
import { fitWidth } from './text.js';

/** Options of {@link linesRenderer}. */
export interface LinesOptions {
  /** Where lines go: a function, or a stream whose `write` returning `false` pauses writing until `drain`. */
  readonly write: TextSink;
  /** Colour the prefixes, and keep the children's own ANSI sequences (stripped when `false`). */
  readonly color: boolean;
  /** Prefix each line with the local time `HH:MM:SS.mmm`. */
  readonly timestamps: boolean;
  /** The terminal width: when set, lines are cut to fit it (children's ANSI is dropped from a cut line). */
  readonly width?: number;
  /** Lines longer than this (in UTF-16 units) are cut and end in `…[+N chars]`. Default 65536. */
  readonly maxLineLength?: number;
  /** Every service name, to pad the prefixes to the widest. */
  readonly names: readonly string[];
  /** Wall-clock epoch ms for timestamps. Default `Date.now`. */
  readonly now?: () => number;
  /** When to flush a batch. Default: `setImmediate`. */
  readonly schedule?: FlushScheduler;
}

/** The streams {@link LinesRenderer.attach} reads. */
export interface LineSources {
  readonly output$: Observable<OutputLine>;
  readonly events$: Observable<SupervisorEvent>;
}

/** A `lines` renderer; see {@link linesRenderer}. */
export interface LinesRenderer {
  /** Writes every output line and lifecycle event until unsubscribed (which flushes what is pending). */
  attach(sources: LineSources): Subscription;
  /** One output line, formatted, ending in `\n`. */
  formatOutput(line: OutputLine): string;
  /** One event's lifecycle line, ending in `\n`, or `undefined` for events this mode leaves out. */
  formatEvent(event: SupervisorEvent): string | undefined;
  /** Writes what is pending now. */
  flush(): void;
}

interface Prefixes {
  readonly out: string;
  readonly err: string;
  readonly life: string;
  /** Display width of the prefix (without timestamps). */
  readonly width: number;
}

const DEFAULT_MAX_LINE = 65536;
const TIMESTAMP_WIDTH = 13; // "HH:MM:SS.mmm "

/** Creates a `lines` renderer (nothing is written until {@link LinesRenderer.attach}). */
export function linesRenderer(options: LinesOptions): LinesRenderer {
  const { color, timestamps } = options;
  const maxLine = options.maxLineLength ?? DEFAULT_MAX_LINE;
  const now = options.now ?? Date.now;
  const nameWidth = Math.max(0, ...options.names.map((n) => stringWidth(n)));
  const batcher = new LineBatcher(options.write, options.schedule);
  const prefixCache = new Map<string, Prefixes>();
  // Where each service's latest exit line sits in the batch, and in which batch (generation).
  const pendingExit = new Map<string, { index: number; generation: number }>();
  let lastClockMs = NaN;
  let lastClock = '';

  // Prefixes are built once per service: the per-line path is then a few string concatenations.
  const prefixes = (name: string): Prefixes => {
    let p = prefixCache.get(name);
    if (p !== undefined) return p;
    const padded = name + ' '.repeat(Math.max(0, nameWidth - stringWidth(name)));
    const shown = color && name !== '' ? paint256(padded, serviceColor(name)) : padded;
    p = {
      out: `${shown} ${color ? pc.dim('│') : '│'} `,
      err: `${shown} ${color ? pc.red('┃') : '┃'} `,
      life: `${shown} ◆ `,
      width: Math.max(nameWidth, stringWidth(name)) + 3,
    };
    prefixCache.set(name, p);
    return p;
  };

  const clock = (): string => {
    if (!timestamps) return '';
    const t = now();
    if (t !== lastClockMs) {
      lastClockMs = t;
      lastClock = formatClock(t) + ' ';
      if (color) lastClock = pc.dim(lastClock);
    }
    return lastClock;
  };

  const room = (p: Prefixes): number =>
    options.width === undefined
      ? Infinity
      : Math.max(1, options.width - p.width - (timestamps ? TIMESTAMP_WIDTH : 0));

  const formatOutput = (line: OutputLine): string => {
    const p = prefixes(line.service);
    let text = line.line;
    // A carriage return would overwrite the prefix on a terminal: keep what the child meant to show last.
    if (text.includes('\r')) text = lastCarriageSegment(text);
    const hasAnsi = text.includes('\x1b');
    if (hasAnsi && !color) text = stripAnsi(text);
    let suffix = '';
    if (text.length > maxLine) {
      suffix = `…[+${text.length - maxLine} chars]`;
      text = text.slice(0, maxLine);
    } else if (line.truncated) suffix = '…[truncated]';
    const limit = room(p);
    if (limit !== Infinity && text.length + suffix.length > limit / 2) {
      const plain = hasAnsi && color ? stripAnsi(text) : text;
      const fitted = fitWidth(plain + suffix, limit);
      if (fitted !== plain + suffix)
        return `${clock()}${line.stream === 'stderr' ? p.err : p.out}${fitted}\n`;
    }
    if (hasAnsi && color) text += '\x1b[0m'; // the child's colours must not bleed into the next prefix
    if (suffix !== '' && color) suffix = pc.dim(suffix);
    return `${clock()}${line.stream === 'stderr' ? p.err : p.out}${text}${suffix}\n`;
  };

  const formatEvent = (event: SupervisorEvent): string | undefined => {
    const text = lifecycleText(event);
    if (text === undefined) return undefined;
    const name = 'service' in event ? event.service : '';
    const p = prefixes(name);
    const life = color ? p.life.replace('◆', tone(event)('◆')) : p.life;
    return `${clock()}${life}${text}\n`;
  };

  const onEvent = (event: SupervisorEvent): void => {
    // "exited 1" and the restart it causes arrive together: one line says both, when both are still pending.
    if (event.type === 'restartScheduled') {
      const exit = pendingExit.get(event.service);
      pendingExit.delete(event.service);
      const exitLine = exit?.generation === batcher.generation ? batcher.pending[exit.index] : undefined;
      if (exit !== undefined && exitLine !== undefined) {
        const restart = restartText(event.restart, event.maxRestarts, event.delayMs);
        batcher.pending[exit.index] = `${exitLine.slice(0, -1)} — ${restart}\n`;
        return;
      }
    }
    const text = formatEvent(event);
    if (text === undefined) return;
    const index = batcher.push(text);
    if (event.type === 'exited') pendingExit.set(event.service, { index, generation: batcher.generation });
  };

  const flush = (): void => batcher.flush();

  return {
    formatOutput,
    formatEvent,
    flush,
    attach(sources) {
      const subscription = new Subscription();
      subscription.add(sources.output$.subscribe((line) => batcher.push(formatOutput(line))));
      subscription.add(sources.events$.subscribe(onEvent));
      subscription.add(flush);
      return subscription;
    },
  };
}

function tone(event: SupervisorEvent): (text: string) => string {
  switch (event.type) {
    case 'started':
    case 'ready':
      return pc.green;
    case 'failed':
    case 'skipped':
    case 'probe':
      return pc.red;
    case 'exited':
      return event.expected || event.status.code === 0 ? pc.dim : pc.red;
    case 'stopped':
      return event.report.outcome === 'failed' ? pc.red : pc.dim;
    case 'restartScheduled':
    case 'stopping':
    case 'shutdown':
      return pc.yellow;
    default:
      return pc.dim;
  }
}

/** The last non-empty segment after a `\r` (a progress bar's final state). */
function lastCarriageSegment(text: string): string {
  const parts = text.split('\r');
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i] !== '') return parts[i]!;
  return '';
}
