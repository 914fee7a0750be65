import { expect } from 'chai';
import { SupervisorConfigError } from '../../../../src/supervisor/errors.js';
import {
  DEFAULT_HTTP_STATUSES,
  resolveProbe,
  type ProbeRole,
} from '../../../../src/supervisor/probes/resolve-probe.js';

const PATH = 'services.api.ready';

/** The error resolveProbe throws for `value`; fails the test when it accepts it. */
function rejection(value: unknown, role: ProbeRole = 'readiness'): SupervisorConfigError {
  try {
    resolveProbe(PATH, value, role);
  } catch (error) {
    expect(error).to.be.instanceOf(SupervisorConfigError);
    return error as SupervisorConfigError;
  }
  throw new Error(`accepted ${JSON.stringify(value)}`);
}

describe('resolveProbe', () => {
  describe('defaults', () => {
    it('applies the readiness timing defaults', () => {
      expect(resolveProbe(PATH, { tcp: { port: 8080 } }, 'readiness')).to.deep.equal({
        kind: 'tcp',
        host: '127.0.0.1',
        port: 8080,
        timing: {
          initialDelayMs: 0,
          intervalMs: 1000,
          attemptTimeoutMs: 1000,
          timeoutMs: 60_000,
          failureThreshold: Infinity,
        },
      });
    });

    it('applies the liveness defaults and ignores timeoutMs there', () => {
      const probe = resolveProbe(PATH, { tcp: { port: 1 }, timeoutMs: 5 }, 'liveness');
      expect(probe.timing).to.deep.equal({
        initialDelayMs: 0,
        intervalMs: 10_000,
        attemptTimeoutMs: 1000,
        timeoutMs: null,
        failureThreshold: 3,
      });
    });

    it('keeps null as an unlimited readiness timeout and given values as they are', () => {
      const probe = resolveProbe(
        PATH,
        { tcp: { port: 1 }, timeoutMs: null, initialDelayMs: 0, intervalMs: 0, failureThreshold: 2 },
        'readiness',
      );
      expect(probe.timing).to.include({ timeoutMs: null, intervalMs: 0, failureThreshold: 2 });
    });

    it('defaults http statuses to 200–399 and headers to none', () => {
      const probe = resolveProbe(PATH, { http: { url: 'http://localhost:3000/health' } }, 'liveness');
      expect(probe.kind).to.equal('http');
      if (probe.kind !== 'http') return;
      expect(probe.statuses).to.equal(DEFAULT_HTTP_STATUSES);
      expect([...probe.statuses].slice(0, 1).concat([...probe.statuses].slice(-1))).to.deep.equal([200, 399]);
      expect(probe.headers).to.deep.equal({});
      expect(probe.url.href).to.equal('http://localhost:3000/health');
    });

    it('compiles a log string as a regular expression, watches both streams, drops g and y flags', () => {
      const probe = resolveProbe(PATH, { log: 'listening on \\d+' }, 'readiness');
      if (probe.kind !== 'log') throw new Error('not a log probe');
      expect(probe.stream).to.equal('both');
      expect(probe.pattern.test('listening on 8080')).to.equal(true);
      const sticky = resolveProbe(PATH, { log: /ready/gy, stream: 'stderr' }, 'readiness');
      if (sticky.kind !== 'log') throw new Error('not a log probe');
      expect(sticky.pattern.flags).to.equal('');
      expect(sticky.stream).to.equal('stderr');
    });

    it('resolves an exec probe without cwd to the service directory (undefined)', () => {
      expect(resolveProbe(PATH, { exec: { command: 'true' } }, 'readiness')).to.deep.include({
        kind: 'exec',
        command: 'true',
        args: [],
        shell: false,
        cwd: undefined,
      });
    });
  });

  describe('errors name the exact path and what was expected', () => {
    const cases: readonly [string, unknown, string, RegExp][] = [
      ['not an object', 'tcp', PATH, /probe object/],
      ['no kind', { intervalMs: 5 }, PATH, /exactly one of log, tcp, http, exec, found none/],
      ['two kinds', { tcp: { port: 1 }, http: { url: 'http://x' } }, PATH, /found tcp and http/],
      ['unknown top key', { tcp: { port: 1 }, intervalMS: 5 }, `${PATH}.intervalMS`, /unknown key/],
      ['stream on a tcp probe', { tcp: { port: 1 }, stream: 'both' }, `${PATH}.stream`, /unknown key/],
      ['unknown tcp key', { tcp: { port: 1, hots: 'x' } }, `${PATH}.tcp.hots`, /unknown key/],
      ['port 0', { tcp: { port: 0 } }, `${PATH}.tcp.port`, /integer port from 1 to 65535, got 0/],
      ['port 65536', { tcp: { port: 65_536 } }, `${PATH}.tcp.port`, /got 65536/],
      ['port 80.5', { tcp: { port: 80.5 } }, `${PATH}.tcp.port`, /got 80.5/],
      ['port as a string', { tcp: { port: '80' } }, `${PATH}.tcp.port`, /got "80"/],
      ['empty host', { tcp: { port: 1, host: '' } }, `${PATH}.tcp.host`, /non-empty string/],
      ['NaN interval', { tcp: { port: 1 }, intervalMs: NaN }, `${PATH}.intervalMs`, /finite number/],
      ['negative delay', { tcp: { port: 1 }, initialDelayMs: -1 }, `${PATH}.initialDelayMs`, /got -1/],
      [
        'infinite attempt timeout',
        { tcp: { port: 1 }, attemptTimeoutMs: Infinity },
        `${PATH}.attemptTimeoutMs`,
        /finite/,
      ],
      ['timeout above 2^31-1', { tcp: { port: 1 }, timeoutMs: 2 ** 31 }, `${PATH}.timeoutMs`, /2147483647/],
      ['string timeout', { tcp: { port: 1 }, timeoutMs: '100' }, `${PATH}.timeoutMs`, /got "100"/],
      [
        'threshold 0',
        { tcp: { port: 1 }, failureThreshold: 0 },
        `${PATH}.failureThreshold`,
        /positive integer/,
      ],
      ['threshold 1.5', { tcp: { port: 1 }, failureThreshold: 1.5 }, `${PATH}.failureThreshold`, /got 1.5/],
      ['unparsable url', { http: { url: 'localhost:3000' } }, `${PATH}.http.url`, /http: or https: URL/],
      ['ftp url', { http: { url: 'ftp://host/x' } }, `${PATH}.http.url`, /protocol ftp:/],
      [
        'unknown http key',
        { http: { url: 'http://x', status: [200] } },
        `${PATH}.http.status`,
        /unknown key/,
      ],
      ['empty statuses', { http: { url: 'http://x', statuses: [] } }, `${PATH}.http.statuses`, /non-empty/],
      [
        'status 600',
        { http: { url: 'http://x', statuses: [200, 600] } },
        `${PATH}.http.statuses[1]`,
        /100 to 599, got 600/,
      ],
      ['status 99', { http: { url: 'http://x', statuses: [99] } }, `${PATH}.http.statuses[0]`, /got 99/],
      [
        'header not a string',
        { http: { url: 'http://x', headers: { 'x-n': 1 } } },
        `${PATH}.http.headers.x-n`,
        /expected a string/,
      ],
      [
        'invalid body regex',
        { http: { url: 'http://x', body: '(' } },
        `${PATH}.http.body`,
        /invalid regular/,
      ],
      ['invalid log regex', { log: 'ready (' }, `${PATH}.log`, /invalid regular expression/],
      ['empty log', { log: '' }, `${PATH}.log`, /non-empty string/],
      ['bad stream', { log: 'x', stream: 'out' }, `${PATH}.stream`, /'stdout', 'stderr' or 'both'/],
      ['exec without command', { exec: { args: [] } }, `${PATH}.exec.command`, /non-empty string/],
      ['exec arg not a string', { exec: { command: 'x', args: ['a', 2] } }, `${PATH}.exec.args[1]`, /string/],
      ['exec bad shell', { exec: { command: 'x', shell: 1 } }, `${PATH}.exec.shell`, /boolean or a shell/],
      ['exec unknown key', { exec: { command: 'x', env: {} } }, `${PATH}.exec.env`, /unknown key/],
    ];
    for (const [title, value, path, problem] of cases) {
      it(title, () => {
        const error = rejection(value);
        expect(error.path).to.equal(path);
        expect(error.message).to.match(problem);
        expect(error.message).to.include(`at ${path}:`);
      });
    }

    it('rejects a log probe for liveness, saying why', () => {
      const error = rejection({ log: 'ready' }, 'liveness');
      expect(error.path).to.equal(`${PATH}.log`);
      expect(error.message).to.match(/cannot be a liveness probe.*use tcp, http or exec/);
    });
  });
});
