/**
 * Raw-mode key input split into keys: arrows and paging arrive as escape sequences, and one `data` chunk may hold
 * several keys (a paste, or keys typed while the process was busy).
 */

/** A key the TUI knows, or a single printable character. */
export type Key = 'up' | 'down' | 'pageUp' | 'pageDown' | 'enter' | 'ctrlC' | 'escape' | (string & {});

const sequences: readonly (readonly [string, Key])[] = [
  ['\x1b[A', 'up'],
  ['\x1bOA', 'up'],
  ['\x1b[B', 'down'],
  ['\x1bOB', 'down'],
  ['\x1b[5~', 'pageUp'],
  ['\x1b[6~', 'pageDown'],
];

/** Splits one chunk of raw input into keys; unknown escape sequences are dropped whole. */
export function parseKeys(data: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  while (i < data.length) {
    const ch = data[i]!;
    if (ch === '\x1b') {
      const known = sequences.find(([seq]) => data.startsWith(seq, i));
      if (known !== undefined) {
        keys.push(known[1]);
        i += known[0].length;
        continue;
      }
      // CSI: ESC [ parameters… final byte (0x40–0x7e); anything else: a lone Escape.
      if (data[i + 1] === '[' || data[i + 1] === 'O') {
        let j = i + 2;
        while (j < data.length && !/[\x40-\x7e]/.test(data[j]!)) j++;
        i = j + 1;
        continue;
      }
      keys.push('escape');
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') keys.push('enter');
    else if (ch === '\x03') keys.push('ctrlC');
    else keys.push(ch);
    i++;
  }
  return keys;
}
