/**
 * One TUI frame as an array of screen lines (pure: the same model gives the same lines), so the diff can
 * compare frames row by row and a benchmark can time a frame alone.
 */
import { paint256, serviceColor, styles as pc } from '../color.js';
import { joinSegments } from './cells.js';
import type { Segment } from './cells.js';
import type { LogEntry, LogScope } from './log-store.js';
import type { TuiModel } from './model.js';
import { columnsFor, headerLine, serviceLine, titleLine } from './table.js';
import { treeOrder } from './tree.js';
import type { TreeRow } from './tree.js';

/** The help line. `K` (shift) kills, because `k` moves up like in vim and a kill should not be a slip. */
export const FOOTER =
  '↑↓ select · a all/one · f follow · PgUp/Dn · r restart · s stop · K kill · q quit (twice: force)';

/** The selected row's index in tree order (the first row when nothing or an unknown name is selected). */
export function selectedIndex(rows: readonly TreeRow[], selected: string | undefined): number {
  const i = rows.findIndex((r) => r.service.name === selected);
  return i < 0 ? 0 : i;
}

/** Which logs the pane shows for this model. */
export function logScopeOf(model: TuiModel, rows: readonly TreeRow[]): LogScope {
  if (model.view.logScope === 'all') return 'all';
  const row = rows[selectedIndex(rows, model.view.selected)];
  return row === undefined ? 'all' : { service: row.service.name };
}

/** How many log lines fit under a table of `services` rows in `height` lines (the rest of the layout is fixed). */
export function layout(services: number, height: number): { table: number; log: number } {
  const avail = Math.max(0, height - 4); // header, column titles, log title, footer
  const logMin = Math.min(Math.max(0, avail - 1), Math.max(3, Math.floor(avail / 2)));
  const table = Math.min(services, Math.max(avail > 0 ? 1 : 0, avail - logMin));
  return { table, log: Math.max(0, avail - table) };
}

/**
 * Draws one frame: exactly `height` lines, none wider than `width` columns. Layout: header, column titles,
 * services in tree order (scrolled to keep the selection visible), the log pane's title and lines, the footer.
 */
export function renderFrame(model: TuiModel, width: number, height: number): string[] {
  const { color } = model;
  const services = model.state?.services ?? [];
  const rows = treeOrder(services);
  const { table, log } = layout(rows.length, height);
  const sel = selectedIndex(rows, model.view.selected);
  const lines: string[] = [headerLine(model.project, model.state, width, color)];
  const cols = columnsFor(rows);
  lines.push(titleLine(cols, width, color));
  // Keep the selection in the middle of the visible rows when the table scrolls.
  const top = Math.max(0, Math.min(sel - Math.floor(table / 2), rows.length - table));
  for (let i = top; i < top + table; i++) {
    lines.push(serviceLine(rows[i]!, cols, model.now, i === sel, width, color));
  }
  const scope = logScopeOf(model, rows);
  lines.push(logTitle(scope, model.view.anchor === undefined, width, color));
  const entries = model.logs.window(scope, log, model.view.anchor);
  const nameWidth = Math.max(0, ...services.map((s) => s.name.length));
  for (let i = 0; i < log; i++) {
    const entry = entries[i - (log - entries.length)];
    lines.push(entry === undefined ? '' : logLine(entry, scope === 'all' ? nameWidth : -1, width, color));
  }
  const footer = model.view.quitRequested ? 'stopping… press q again to force' : FOOTER;
  lines.push(joinSegments([{ text: footer, style: pc.dim }], width, color));
  return lines.slice(0, height);
}

function logTitle(scope: LogScope, following: boolean, width: number, color: boolean): string {
  const what = scope === 'all' ? 'all' : scope.service;
  const text = `── logs: ${what} · ${following ? 'following' : 'paused (f to follow)'} `;
  return joinSegments(
    [{ text: text + '─'.repeat(Math.max(0, width - text.length)), style: pc.dim }],
    width,
    color,
  );
}

/** A log line; in the merged view prefixed with the padded, coloured service name (`nameWidth` < 0: no prefix). */
function logLine(entry: LogEntry, nameWidth: number, width: number, color: boolean): string {
  const segs: Segment[] = [];
  if (nameWidth >= 0) {
    const name = entry.service.padEnd(nameWidth);
    segs.push({ text: name, style: (t) => paint256(t, serviceColor(entry.service)) });
  }
  const bar = entry.kind === 'event' ? '◆' : entry.kind === 'stderr' ? '┃' : '│';
  segs.push({
    text: nameWidth >= 0 ? ` ${bar} ` : `${bar} `,
    style: entry.kind === 'stderr' ? pc.red : pc.dim,
  });
  segs.push(entry.kind === 'event' ? { text: entry.text, style: pc.bold } : { text: entry.text });
  return joinSegments(segs, width, color);
}
