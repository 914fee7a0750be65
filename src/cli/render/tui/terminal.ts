/**
 * Entering and leaving the full-screen terminal mode. Leaving must happen whatever ends the program (dispose, a
 * crash, a signal, `process.exit`), or the user's shell is left in the alternate screen with no cursor and no echo.
 */
import ansiEscapes from 'ansi-escapes';

/** The output side the terminal modes are written to. */
export interface TerminalOutput {
  write(text: string): unknown;
}

/** The input side: raw mode (a TTY only) and flow. */
export interface TerminalInput {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  resume?(): unknown;
  pause?(): unknown;
}

/** A terminal in full-screen mode; {@link TerminalSession.restore} undoes it (safe to call any number of times). */
export interface TerminalSession {
  restore(): void;
}

/** What restores the terminal on the way out: alternate screen off, cursor shown. */
export const LEAVE_SEQUENCE = ansiEscapes.cursorShow + ansiEscapes.exitAlternativeScreen;
/** What sets it up: alternate screen on, cursor hidden, screen cleared. */
export const ENTER_SEQUENCE =
  ansiEscapes.enterAlternativeScreen +
  ansiEscapes.cursorHide +
  ansiEscapes.eraseScreen +
  ansiEscapes.cursorTo(0, 0);

const active = new Set<TerminalSession>();

/**
 * Switches to the alternate screen, hides the cursor, puts the input in raw mode and resumes it. Until restored,
 * the session is also restored from `process.on('exit')` (synchronous writes to a TTY still happen there).
 */
export function enterTerminal(output: TerminalOutput, input: TerminalInput): TerminalSession {
  let done = false;
  const onExit = (): void => session.restore();
  const session: TerminalSession = {
    restore() {
      if (done) return;
      done = true;
      active.delete(session);
      process.removeListener('exit', onExit);
      // Raw mode first: if writing fails (a closed stream), the shell still gets its line discipline back.
      try {
        if (input.isTTY) input.setRawMode?.(false);
        input.pause?.();
      } finally {
        try {
          output.write(LEAVE_SEQUENCE);
        } catch {
          // The screen is gone (EPIPE, a destroyed stream): there is nothing left to restore, and this may run in
          // an exit handler, where a throw would hide the real reason the program ended.
        }
      }
    },
  };
  output.write(ENTER_SEQUENCE);
  if (input.isTTY) input.setRawMode?.(true);
  input.resume?.();
  active.add(session);
  process.on('exit', onExit);
  return session;
}

/**
 * Restores every terminal session still active: for the CLI's crash and signal handlers, which do not hold the
 * session. Idempotent.
 */
export function restoreTerminal(): void {
  for (const session of [...active]) session.restore();
}
