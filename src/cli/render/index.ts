/** Output modes of `rxproc up`: `lines`, `ndjson` and the TUI. Not part of the library entry. */
export { colorEnabled, serviceColor } from './color.js';
export { linesRenderer } from './lines.js';
export type { LineSources, LinesOptions, LinesRenderer } from './lines.js';
export { ndjsonRenderer, NDJSON_VERSION } from './ndjson.js';
export type { NdjsonOptions, NdjsonRenderer, NdjsonSources } from './ndjson.js';
export type { TextSink, WritableSink } from './sink.js';
export * from './tui/index.js';
