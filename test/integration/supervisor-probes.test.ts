/**
 * The probes against the real OS: sockets, HTTP servers and processes. Nothing here asserts how long anything took;
 * timeouts are short only to keep the suite quick.
 */
import { expect } from 'chai';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { asyncScheduler, lastValueFrom, NEVER, type Observable, tap, toArray } from 'rxjs';
import { execAttempt, type ExecAttemptSpec } from '../../src/supervisor/probes/exec-attempt.js';
import { httpAttempt, type HttpAttemptSpec } from '../../src/supervisor/probes/http-attempt.js';
import { runProbe$ } from '../../src/supervisor/probes/probe.js';
import { resolveProbe } from '../../src/supervisor/probes/resolve-probe.js';
import { tcpAttempt } from '../../src/supervisor/probes/tcp-attempt.js';
import { findMarkedProcesses } from '../support/leak-guard.js';
import { waitUntil } from '../support/wait.js';

/** 'ok' when the attempt completed, else its error as `Name: message`. */
function outcome(attempt: Observable<void>): Promise<string> {
  return lastValueFrom(attempt, { defaultValue: undefined }).then(
    () => 'ok',
    (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
  );
}

interface Listening {
  listen(port: number, host: string, callback: () => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  address(): ReturnType<ReturnType<typeof createTcpServer>['address']>;
  close(callback: () => void): unknown;
}

function listen(server: Listening, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : -1);
    });
  });
}

function close(server: Listening): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port nothing listens on: taken from the OS, then let go. */
async function freePort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await close(server);
  return port;
}

const context = { lines$: NEVER, cwd: undefined, env: undefined, scheduler: asyncScheduler };

describe('supervisor probes (real OS)', () => {
  describe('tcp', () => {
    const server = createTcpServer((socket) => socket.on('error', () => undefined));
    afterEach(async () => {
      if (server.listening) await close(server);
    });

    it('fails while nothing listens, then succeeds once the port is open', async () => {
      const port = await freePort();
      expect(await outcome(tcpAttempt({ host: '127.0.0.1', port }, 5000))).to.equal(
        `ProbeAttemptError: cannot connect to 127.0.0.1:${port}: ECONNREFUSED`,
      );
      await listen(server, port);
      expect(await outcome(tcpAttempt({ host: '127.0.0.1', port }, 5000))).to.equal('ok');
    });

    it('a readiness probe retries until the service listens, then is ready', async () => {
      const port = await freePort();
      const probe = resolveProbe('services.db.ready', { tcp: { port }, intervalMs: 20 }, 'readiness');
      let opened = false;
      const progress = await lastValueFrom(
        runProbe$(probe, context, 'readiness').pipe(
          tap((step) => {
            if (!step.ok && !opened) {
              opened = true;
              void listen(server, port);
            }
          }),
          toArray(),
        ),
      );
      expect(progress[0]).to.deep.include({ ok: false, failures: 1 });
      expect(progress.at(-1)).to.deep.equal({ ok: true, failures: 0, verdict: 'ready' });
    });
  });

  describe('http', () => {
    let handler: (request: IncomingMessage, response: ServerResponse) => void = (_, response) =>
      response.end();
    const server = createHttpServer((request, response) => handler(request, response));
    let url: URL;
    before(async () => {
      url = new URL(`http://127.0.0.1:${await listen(server)}/health`);
    });
    after(async () => {
      server.closeAllConnections();
      await close(server);
    });
    const spec = (more: Partial<HttpAttemptSpec> = {}): HttpAttemptSpec => ({
      url,
      statuses: new Set([200, 204]),
      body: undefined,
      headers: {},
      ...more,
    });

    it('fails on a status outside the list, succeeds on one in it', async () => {
      handler = (_, response) => {
        response.statusCode = 404;
        response.end('not yet');
      };
      expect(await outcome(httpAttempt(spec(), 5000))).to.equal(
        `ProbeAttemptError: GET ${url.href} answered 404, expected 200, 204`,
      );
      handler = (_, response) => response.end('ok');
      expect(await outcome(httpAttempt(spec(), 5000))).to.equal('ok');
    });

    it('checks the body against the regular expression, and sends the headers', async () => {
      handler = (request, response) => response.end(`{"status":"${request.headers['x-probe'] ?? 'none'}"}`);
      const headers = { 'x-probe': 'up' };
      expect(await outcome(httpAttempt(spec({ headers, body: /"status":"up"/ }), 5000))).to.equal('ok');
      expect(await outcome(httpAttempt(spec({ body: /"status":"up"/ }), 5000))).to.equal(
        `ProbeAttemptError: GET ${url.href}: the body "{\\"status\\":\\"none\\"}" does not match /"status":"up"/`,
      );
    });

    it('reads at most 64 KiB of an endless body before testing it', async () => {
      handler = (_, response) => {
        response.on('error', () => undefined);
        const chunk = Buffer.alloc(16 * 1024, 'a');
        const pump = (): void => {
          while (!response.destroyed && response.write(chunk));
          if (!response.destroyed) response.once('drain', pump);
        };
        pump();
      };
      expect(await outcome(httpAttempt(spec({ body: /^a+$/ }), 5000))).to.equal('ok');
      expect(await outcome(httpAttempt(spec({ body: /b/ }), 5000))).to.match(/does not match \/b\//);
    });

    it('a slow answer fails the attempt at the attempt timeout, within the probe schedule', async () => {
      handler = () => undefined; // never answers
      const probe = resolveProbe(
        'services.web.ready',
        { http: { url: url.href }, attemptTimeoutMs: 100, failureThreshold: 1 },
        'readiness',
      );
      const progress = await lastValueFrom(runProbe$(probe, context, 'readiness'));
      expect(progress).to.deep.include({ ok: false, failures: 1, verdict: 'failed' });
      expect(progress.error).to.match(/last: .*timed out after 100 ms$/);
    });

    it('a refused connection is a failed attempt with its code', async () => {
      const port = await freePort();
      const refused = spec({ url: new URL(`http://127.0.0.1:${port}/`) });
      expect(await outcome(httpAttempt(refused, 5000))).to.match(/ECONNREFUSED$/);
    });
  });

  describe('exec', () => {
    const exec = (script: string, more: Partial<ExecAttemptSpec> = {}): ExecAttemptSpec => ({
      command: 'sh',
      args: ['-c', script],
      shell: false,
      cwd: undefined,
      env: undefined,
      ...more,
    });

    it('succeeds on exit 0 and fails on exit 1 with the last line of stderr', async () => {
      expect(await outcome(execAttempt(exec('exit 0'), 5000))).to.equal('ok');
      expect(await outcome(execAttempt(exec('echo "not ready" >&2; exit 1'), 5000))).to.equal(
        'ProbeAttemptError: sh exited with code 1: not ready',
      );
    });

    it("runs in the service's cwd and env", async () => {
      const dir = tmpdir();
      const check = exec(`test "$(pwd -P)" = "$(cd "${dir}" && pwd -P)" && test "$PROBE_VAR" = yes`, {
        cwd: dir,
        env: { PROBE_VAR: 'yes' },
      });
      expect(await outcome(execAttempt(check, 5000))).to.equal('ok');
    });

    it('a command that cannot start is a failed attempt saying why', async () => {
      expect(
        await outcome(execAttempt(exec('', { command: 'no-such-probe-command-xyz', args: [] }), 5000)),
      ).to.match(/^ProbeAttemptError: .*no-such-probe-command-xyz/);
    });

    it('terminates a command that runs past the attempt timeout, leaving no process', async () => {
      expect(await outcome(execAttempt(exec('sleep 30'), 200))).to.equal(
        'ProbeAttemptError: sh timed out after 200 ms',
      );
      expect(findMarkedProcesses()).to.deep.equal([]);
    });

    it('terminates the command when the attempt is unsubscribed', async () => {
      const subscription = execAttempt(exec('sleep 30'), 60_000).subscribe({ error: () => undefined });
      await waitUntil('the probe command runs', () =>
        findMarkedProcesses().some((p) => p.cmdline.includes('sleep')),
      );
      subscription.unsubscribe();
      await waitUntil('the probe command has been terminated', () => findMarkedProcesses().length === 0);
    });

    it('terminates the command when the schedule gives up on the attempt (unsubscription)', async () => {
      const probe = resolveProbe(
        'services.api.ready',
        { exec: { command: 'sleep', args: ['30'] }, attemptTimeoutMs: 150, failureThreshold: 1 },
        'readiness',
      );
      const progress = await lastValueFrom(runProbe$(probe, context, 'readiness'));
      expect(progress).to.deep.include({ ok: false, verdict: 'failed' });
      expect(progress.error).to.match(/timed out after 150 ms$/);
      await waitUntil('the probe command has been terminated', () => findMarkedProcesses().length === 0);
    });
  });
});
