import { LineParser } from '../core/line-parser.js';
import { LINE_DEFAULTS } from '../core/line-options.js';
import { operate, operatorObserver } from './operate.js';

/** @internal */
/**
 * For the line consumers (`collectLines`, `waitForLine`): a string is taken as one whole line, as `lines$` emits
 * them; a byte chunk is parsed with default line options, so the consumers also work on `chunks$`. The parser is
 * created on the first byte chunk only, so a pure line source costs nothing extra.
 * @internal
 */
export const asLines = operate<Uint8Array | string, string>((source, subscriber) => {
  let parser: LineParser | undefined;
  const sink = (line: string): void => subscriber.next(line);
  return source.subscribe(
    operatorObserver(
      subscriber,
      (item) => {
        if (typeof item === 'string') {
          subscriber.next(item);
          return;
        }
        parser ??= new LineParser(LINE_DEFAULTS);
        parser.write(item, sink);
      },
      () => {
        parser?.finish(sink);
        subscriber.complete();
      },
    ),
  );
});
