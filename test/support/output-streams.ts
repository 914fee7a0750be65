import type { Readable } from 'node:stream';
import { createOutputStream } from '../../src/streams/output-control.js';
import type { OutputControl, OutputStreamInit } from '../../src/streams/output-control.js';
import type { OutputStreamOptions } from '../../src/streams/options.js';
import type { OutputStream } from '../../src/streams/output-stream.js';

/** A stream reading `readable`, made as the process handle makes one; `control` is what the handle keeps. */
export function attached(
  readable: Readable,
  options?: OutputStreamOptions,
  init: OutputStreamInit = {},
): { out: OutputStream; control: OutputControl } {
  const { stream, control } = createOutputStream(options, init);
  control.attach(readable);
  return { out: stream, control };
}
