/** The TUI output mode: {@link startTui} for the CLI, {@link renderFrame} for benchmarks and tests. */
export { startTui } from './start.js';
export type { TuiCallbacks, TuiHandle, TuiInput, TuiOptions, TuiOutput, TuiSources } from './start.js';
export { renderFrame, FOOTER } from './frame.js';
export type { TuiModel, TuiView } from './model.js';
export { initialView } from './model.js';
export { LogStore } from './log-store.js';
export type { LogEntry, LogScope, LogSource } from './log-store.js';
export { enterTerminal, restoreTerminal } from './terminal.js';
export type { TerminalSession } from './terminal.js';
