import type { Readable } from 'node:stream';
import { OutputStream, type OutputStreamInit } from './output-stream.js';
import type { OutputStreamOptions } from './options.js';

/** The process layer's side of an output stream: feeding it, ending it, releasing its backpressure. */
export interface OutputControl {
  attach(readable: Readable): void;
  forceClose(reason: string): void;
  releaseBackpressure(): void;
}

/** A stream for the public API, and its control for the process layer. */
export function createOutputStream(
  options: OutputStreamOptions | undefined,
  init: OutputStreamInit,
): { stream: OutputStream; control: OutputControl } {
  const stream = new OutputStream(options, init);
  return {
    stream,
    control: {
      attach: (readable) => void stream.attach(readable),
      forceClose: (reason) => stream.forceClose(reason),
      releaseBackpressure: () => stream.releaseBackpressure(),
    },
  };
}
