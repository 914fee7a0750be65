/**
 * The header line and the service table of the TUI.
 */
import { styles as pc } from '../color.js';
import type { ServiceState, ServiceStatus, SupervisorState } from '../../../index.js';
import { formatBytes, formatRestarts, formatUptime } from '../format.js';
import { sanitizeLine } from '../text.js';
import { cell, joinSegments, named } from './cells.js';
import type { Segment } from './cells.js';
import { statusLook } from './model.js';
import type { TreeRow } from './tree.js';

const order: readonly ServiceStatus[] = [
  'running',
  'starting',
  'waiting',
  'backoff',
  'stopping',
  'completed',
  'stopped',
  'failed',
  'skipped',
];

/** `rxproc · shop   3 running · 1 failed   CPU 12.3 %  RSS 340.2 MB`. */
export function headerLine(
  project: string,
  state: SupervisorState | undefined,
  width: number,
  color: boolean,
): string {
  const segs: Segment[] = [{ text: 'rxproc · ' }, { text: project, style: pc.bold }];
  if (state !== undefined) {
    if (state.phase !== 'running') segs.push({ text: ` · ${state.phase}`, style: pc.yellow });
    const counts = new Map<ServiceStatus, number>();
    let cpu = 0;
    let rss = 0;
    for (const s of state.services) {
      counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
      cpu += s.usage?.cpuPercent ?? 0;
      rss += s.usage?.rssBytes ?? 0;
    }
    segs.push({ text: '   ' });
    const present = order.filter((st) => counts.has(st));
    present.forEach((st, i) => {
      segs.push({ text: `${counts.get(st)} ${st}`, style: named(statusLook[st].color) });
      if (i < present.length - 1) segs.push({ text: ' · ' });
    });
    segs.push({ text: `   CPU ${cpu.toFixed(1)} %  RSS ${formatBytes(rss)}` });
  }
  return joinSegments(segs, width, color);
}

/** Column widths of the table (the name column adapts to the longest indented name, within bounds). */
export interface Columns {
  readonly name: number;
}

const W = { status: 10, ready: 8, restarts: 9, uptime: 7, pid: 8, cpu: 6, rss: 9 } as const;

/** The name column's width for these rows. */
export function columnsFor(rows: readonly TreeRow[]): Columns {
  let name = 4;
  for (const r of rows) name = Math.max(name, r.depth * 2 + r.service.name.length);
  return { name: Math.min(name, 28) + 1 };
}

/** The dim column titles line. */
export function titleLine(cols: Columns, width: number, color: boolean): string {
  const segs = [
    cell('', 3),
    cell('NAME', cols.name),
    cell('STATUS', W.status),
    cell('READY', W.ready),
    cell('RESTARTS', W.restarts),
    cell('UPTIME', W.uptime),
    cell('PID', W.pid),
    cell('CPU%', W.cpu, undefined, 'right'),
    cell('RSS', W.rss, undefined, 'right'),
    { text: 'LAST LINE' },
  ];
  return joinSegments(
    segs.map((s) => ({ ...s, style: pc.dim })),
    width,
    color,
  );
}

/** One service row; the selected row is marked with `›` and shown in inverse video. */
export function serviceLine(
  row: TreeRow,
  cols: Columns,
  now: number,
  selected: boolean,
  width: number,
  color: boolean,
): string {
  const s = row.service;
  const look = statusLook[s.status];
  const style = named(look.color);
  const segs: Segment[] = [
    { text: selected ? '›' : ' ' },
    { text: look.glyph, ...(style ? { style } : {}) },
    { text: ' ' },
    cell('  '.repeat(row.depth) + s.name, cols.name, selected ? pc.bold : undefined),
    cell(s.status, W.status, style),
    cell(s.readiness === 'none' ? '-' : s.readiness, W.ready, s.readiness === 'failed' ? pc.red : undefined),
    cell(formatRestarts(s.restarts, s.maxRestarts), W.restarts),
    cell(s.startedAt !== undefined && isUp(s.status) ? formatUptime(now - s.startedAt) : '-', W.uptime),
    cell(s.pid !== undefined ? String(s.pid) : '-', W.pid),
    cell(s.usage ? s.usage.cpuPercent.toFixed(1) : '-', W.cpu, undefined, 'right'),
    cell(s.usage ? formatBytes(s.usage.rssBytes) : '-', W.rss, undefined, 'right'),
    detail(s, now),
  ];
  const line = joinSegments(segs, width, color, selected);
  return selected && color ? pc.inverse(line) : line;
}

function isUp(status: ServiceStatus): boolean {
  return status === 'starting' || status === 'running' || status === 'stopping';
}

/** The last column: what explains the status best (waiting-for, reason, countdown, holdouts), else the last line. */
function detail(s: ServiceState, now: number): Segment {
  switch (s.status) {
    case 'waiting':
      return { text: `waiting for ${s.waitingFor.join(', ')}`, style: pc.dim };
    case 'backoff':
      return {
        text: `restart in ${formatUptime(Math.max(0, (s.nextStartAt ?? now) - now))}`,
        style: pc.yellow,
      };
    case 'stopping':
      if (s.holdouts.length > 0) return { text: `holdouts: ${s.holdouts.join(', ')}`, style: pc.yellow };
      break;
    case 'failed':
    case 'skipped':
      if (s.reason !== undefined) return { text: s.reason, style: pc.red };
      break;
    default:
      break;
  }
  return { text: s.lastLine !== undefined ? sanitizeLine(s.lastLine) : '' };
}
