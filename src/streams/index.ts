export { OutputStream } from './output-stream.js';
export type { OutputClosed, OutputStats } from './output-stream.js';
export type { PullOptions } from './pull-registry.js';
export { LineParser } from '../core/line-parser.js';
export type { LineParserOptions, LineSink } from '../core/line-parser.js';
export { OUTPUT_STREAM_DEFAULTS } from './options.js';
/** @internal */
export { resolveOutputStreamOptions } from './options.js';
export type {
  Delivery,
  LineOverflow,
  OutputMode,
  OutputStreamOptions,
  ReplayPolicy,
  ResolvedOutputStreamOptions,
  ResolvedReplayPolicy,
} from './options.js';
export type { DropStats, OutputGap } from './pull-queue.js';
export type { OutputIterator } from './pull-iterators.js';
export { OutputChunkTypeError, OutputPrematureCloseError, OutputStreamStateError } from './errors.js';
export { SinkOverflowError, SinkWriteError } from '../core/sink-errors.js';
