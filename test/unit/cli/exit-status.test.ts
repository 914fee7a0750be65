import { expect } from 'chai';
import type { ServiceState, SupervisorReport, SupervisorState } from '../../../src/index.js';
import { type EndRecord, exitStatusOf } from '../../../src/cli/exit-status.js';

const service = (
  name: string,
  status: ServiceState['status'],
  readiness: ServiceState['readiness'] = 'none',
) => ({ name, service: name.replace(/\.\d+$/, ''), status, readiness }) as ServiceState;
const state = (...services: ServiceState[]): SupervisorState => ({ phase: 'stopped', at: 0, services });
const report: SupervisorReport = { reason: { type: 'allEnded' }, forced: false, services: [], durationMs: 0 };
const end = (name: string, code: number | null, expected = false): EndRecord => ({
  service: name,
  code,
  signal: code === null ? 'SIGTERM' : null,
  expected,
});

describe('exit status of rxproc up', () => {
  it("'all': 0 when nothing failed, 1 when a service failed, 3 when one was skipped or never ready", () => {
    expect(
      exitStatusOf({ type: 'all' }, report, state(service('a', 'completed'), service('b', 'stopped')), []),
    ).to.equal(0);
    expect(exitStatusOf({ type: 'all' }, report, state(service('a', 'failed')), [])).to.equal(1);
    expect(
      exitStatusOf({ type: 'all' }, report, state(service('a', 'failed'), service('b', 'skipped')), []),
    ).to.equal(3);
    expect(exitStatusOf({ type: 'all' }, report, state(service('a', 'failed', 'failed')), [])).to.equal(3);
  });

  it("'first' and 'last': the code of the first and last service to exit on its own (stops by rxproc ignored)", () => {
    const ends = [end('a', 4), end('b', 0), end('c', null, true)];
    const s = state(service('a', 'completed'), service('b', 'completed'), service('c', 'stopped'));
    expect(exitStatusOf({ type: 'first' }, report, s, ends)).to.equal(4);
    expect(exitStatusOf({ type: 'last' }, report, s, ends)).to.equal(0);
  });

  it('a service: its last code; 0 when rxproc stopped it; 1 when it never exited or ended failed', () => {
    const s = state(service('api', 'stopped'), service('job', 'completed'));
    expect(exitStatusOf({ type: 'service', service: 'job' }, report, s, [end('job', 7)])).to.equal(7);
    expect(exitStatusOf({ type: 'service', service: 'api' }, report, s, [end('api', null, true)])).to.equal(
      0,
    );
    expect(exitStatusOf({ type: 'service', service: 'job' }, report, s, [])).to.equal(1);
    const failedByProbe = state(service('job', 'failed'));
    expect(
      exitStatusOf({ type: 'service', service: 'job' }, report, failedByProbe, [end('job', 0)]),
    ).to.equal(1);
    const replicas = state(service('web.1', 'completed'), service('web.2', 'completed'));
    expect(
      exitStatusOf({ type: 'service', service: 'web' }, report, replicas, [end('web.1', 0), end('web.2', 5)]),
    ).to.equal(5);
  });
});
