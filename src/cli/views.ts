import type { Supervisor, SupervisorReport } from '../index.js';
import { boundedWriter } from './bounded-writer.js';
import type { CliIo } from './io.js';
import { linesRenderer, ndjsonRenderer, startTui } from './render/index.js';
import type { UiMode } from './ui-mode.js';

/** What the runner shows while services run; closed once the supervisor stopped. */
export interface View {
  /** Flushes and releases the terminal; resolves once the text left for stdout. */
  close(report: SupervisorReport): Promise<void>;
}

/** What a view may ask of the run (the dashboard's keys). */
export interface ViewActions {
  interrupt(): void;
  force(): void;
}

/** Text waiting for a slow stdout past which the services' output is no longer read (they block). */
const PAUSE_AT_BYTES = 1024 * 1024;
/** Past this (what was read before the pause took hold), lines are dropped and counted. */
const DROP_AT_BYTES = 16 * 1024 * 1024;

/** Starts the view for `mode`. */
export function startView(
  mode: UiMode,
  supervisor: Supervisor,
  io: CliIo,
  settings: { readonly color: boolean; readonly timestamps: boolean; readonly project: string },
  actions: ViewActions,
): View {
  if (mode === 'tui') return tuiView(supervisor, io, settings, actions);
  const writer = boundedWriter(io.stdout, {
    pauseAtBytes: PAUSE_AT_BYTES,
    dropAtBytes: DROP_AT_BYTES,
    pause: () => supervisor.pauseOutput(),
    droppedLine: (count) =>
      mode === 'ndjson'
        ? `${JSON.stringify({ v: 1, t: Date.now(), type: 'outputLost', lines: count })}\n`
        : `◆ ${count} lines dropped: stdout was too slow\n`,
  });
  const renderer =
    mode === 'ndjson'
      ? ndjsonRenderer({ write: (text) => writer.write(text) })
      : linesRenderer({
          write: (text) => writer.write(text),
          color: settings.color,
          timestamps: settings.timestamps,
          names: supervisor.state.services.map((service) => service.name),
        });
  const subscription = renderer.attach(supervisor);
  return {
    async close() {
      subscription.unsubscribe();
      renderer.flush();
      if (writer.dropped > 0)
        io.stderr.write(`rxproc: ${writer.dropped} lines dropped because stdout was too slow\n`);
      await writer.flushed();
    },
  };
}

function tuiView(
  supervisor: Supervisor,
  io: CliIo,
  settings: { readonly color: boolean; readonly project: string },
  actions: ViewActions,
): View {
  const tui = startTui({
    supervisor,
    output: io.stdout,
    input: io.stdin,
    project: settings.project,
    color: settings.color,
    callbacks: {
      onRestart: (name) => void supervisor.restart(name).catch(() => undefined),
      onStop: (name) => void supervisor.stopService(name).catch(() => undefined),
      onKill: (name) => void supervisor.killService(name).catch(() => undefined),
      onQuit: () => actions.interrupt(),
      onForceQuit: () => actions.force(),
    },
  });
  return {
    close(report) {
      tui.dispose();
      // The dashboard is gone with the alternate screen: leave a summary in the terminal's scrollback.
      const lines = supervisor.state.services.map((service) => {
        const stop = report.services.find((entry) => entry.service === service.name);
        const how = stop?.report ? `, stopped by ${stop.report.endedBy}` : '';
        return `${service.name.padEnd(12)} ${service.status}${service.reason ? ` (${service.reason})` : ''}${how}`;
      });
      io.stdout.write(`${lines.join('\n')}\n`);
      return Promise.resolve();
    },
  };
}
