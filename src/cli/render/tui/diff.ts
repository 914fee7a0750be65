/**
 * Row diffing: keeps the previous frame and emits, for each changed row only, a cursor move, an erase and the
 * new line. A steady table with one changing row costs one row's bytes per frame.
 */
import ansiEscapes from 'ansi-escapes';

/** Turns successive frames into the minimal row-level terminal output. */
export class FrameDiffer {
  #previous: readonly string[] = [];

  /** Forgets the previous frame (after a resize or anything else that may have disturbed the screen). */
  reset(): void {
    this.#previous = [];
  }

  /** The output that turns the previous frame into `next` (empty when nothing changed). */
  diff(next: readonly string[]): string {
    let out = '';
    const prev = this.#previous;
    for (let i = 0; i < next.length; i++) {
      // Erase before writing: a line that fills the last column leaves the cursor in the pending-wrap state, where
      // an erase afterwards would wipe that last character.
      if (next[i] !== prev[i]) out += ansiEscapes.cursorTo(0, i) + ansiEscapes.eraseLine + next[i]!;
    }
    for (let i = next.length; i < prev.length; i++) out += ansiEscapes.cursorTo(0, i) + ansiEscapes.eraseLine;
    this.#previous = next;
    return out;
  }
}
