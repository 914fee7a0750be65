/**
 * `npx tsx bench/tui-frame.ts`: the cost of one TUI frame (50 services in a dependency tree, 2000 stored log
 * lines, 160×50, colour on) and of the row diff after one service changed. Standalone: not a `npm run bench` suite.
 */
import { LogStore, initialView, renderFrame } from '../src/cli/render/tui/index.js';
import type { TuiModel } from '../src/cli/render/tui/index.js';
import { FrameDiffer } from '../src/cli/render/tui/diff.js';
import type { ServiceState } from '../src/supervisor/state-types.js';

function service(i: number, pid: number): ServiceState {
  return {
    name: `svc-${i}`,
    service: `svc-${i}`,
    status: 'running',
    readiness: 'ready',
    dependsOn: i > 0 ? { [`svc-${Math.floor((i - 1) / 3)}`]: 'ready' } : {},
    waitingFor: [],
    pid,
    restarts: 0,
    maxRestarts: 5,
    startedAt: 0,
    readyAt: 100,
    nextStartAt: undefined,
    exitStatus: undefined,
    reason: undefined,
    lastLine: `GET /api/items/${i} 200 ${i} ms`,
    usage: { cpuPercent: i / 7, rssBytes: 40e6 + i * 1e6, processes: 2 },
    holdouts: [],
  };
}

const logs = new LogStore();
for (let i = 0; i < 2000; i++)
  logs.add(`svc-${i % 50}`, i % 9 ? 'stdout' : 'stderr', `log line ${i} ${'·'.repeat(i % 40)}`);
const model = (pid: number): TuiModel => ({
  project: 'bench',
  state: {
    phase: 'running',
    at: 0,
    services: Array.from({ length: 50 }, (_, i) => service(i, i === 10 ? pid : 1000 + i)),
  },
  now: 65_000,
  view: { ...initialView, selected: 'svc-10' },
  logs,
  color: true,
});

const runs = 2000;
for (let i = 0; i < 200; i++) renderFrame(model(i), 160, 50); // warm-up
let t = performance.now();
for (let i = 0; i < runs; i++) renderFrame(model(i), 160, 50);
const frameMs = (performance.now() - t) / runs;

const differ = new FrameDiffer();
differ.diff(renderFrame(model(0), 160, 50));
let bytes = 0;
t = performance.now();
for (let i = 1; i <= runs; i++) bytes += differ.diff(renderFrame(model(i), 160, 50)).length;
const diffMs = (performance.now() - t) / runs;
console.log(
  `renderFrame: ${frameMs.toFixed(3)} ms/frame; frame+diff after one row changed: ${diffMs.toFixed(3)} ms, ${bytes / runs} bytes`,
);
