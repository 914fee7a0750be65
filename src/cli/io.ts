/** What the CLI touches of the outside world, so tests can run it in-process with fakes. */
export interface CliIo {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  /** Installs a listener for a stop signal; returns what removes it. */
  onSignal(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP', listener: () => void): () => void;
}

/** The real process. */
export function processIo(): CliIo {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    onSignal(signal, listener) {
      process.on(signal, listener);
      return () => process.removeListener(signal, listener);
    },
  };
}
