/**
 * A scripted process behind a TerminationPort, living in TestScheduler time. Each signal can trigger a scripted
 * reaction (the leader exits, the group empties) after a virtual delay; every port method is a sinon stub so tests
 * can both override answers and assert the exact call sequence.
 */
import { type SchedulerLike, ReplaySubject, of } from 'rxjs';
import sinon from 'sinon';
import type { ExitStatus } from '../../../src/core/exit-status.js';
import type { SignalName } from '../../../src/core/signals.js';
import type { TerminationPort, PortAnswer } from '../../../src/termination/port.js';
import type {
  ProcessIdentity,
  ProcessInfo,
  SignalFailureCode,
  SignalOutcome,
} from '../../../src/platform/types.js';

export const LEADER_PID = 4242;

/** What a signal does to the scripted process. */
export interface Reaction {
  /** The leader exits this long after the signal (0: before the send returns). */
  readonly leaderExitsAfterMs?: number;
  /** The rest of the group is gone this long after the signal. Default: together with the leader. */
  readonly groupGoneAfterMs?: number;
  readonly status?: ExitStatus;
}

export interface FakeProcess {
  readonly port: TerminationPort;
  readonly signalGroup: sinon.SinonStub<[SignalName], SignalOutcome>;
  readonly snapshotTree: sinon.SinonStub<[], PortAnswer<readonly ProcessInfo[]>>;
  readonly isGroupAlive: sinon.SinonStub<[], PortAnswer<boolean>>;
  readonly isAlive: sinon.SinonStub<[ProcessIdentity], PortAnswer<boolean>>;
  readonly killProcess: sinon.SinonStub<[ProcessIdentity], PortAnswer<SignalOutcome>>;
  /** Scripts the reaction to a signal that is delivered. */
  react(signal: SignalName, reaction: Reaction): void;
  /** Makes sends of `signal` fail with `code`, optionally still triggering a reaction (a send that raced an exit). */
  failSend(signal: SignalName, code: SignalFailureCode, reaction?: Reaction): void;
  /** The leader exits now; the group empties with it unless `groupStaysAlive`. */
  exitLeader(status?: ExitStatus, groupStaysAlive?: boolean): void;
  emptyGroup(): void;
  /** The signals sent to the group, in order, SIGCONT included. */
  sentSignals(): SignalName[];
}

export const SIGTERM_DEATH: ExitStatus = { code: null, signal: 'SIGTERM' };
export const SIGKILL_DEATH: ExitStatus = { code: null, signal: 'SIGKILL' };

/** A process that stays alive until a scripted reaction ends it. Create inside `testScheduler.run`. */
export function fakeProcess(
  scheduler: SchedulerLike,
  processes: readonly ProcessInfo[] = [member(LEADER_PID, LEADER_PID)],
): FakeProcess {
  const exit = new ReplaySubject<ExitStatus>(1);
  let status: ExitStatus | undefined;
  let groupAlive = true;
  const reactions = new Map<SignalName, Reaction>();
  const failures = new Map<SignalName, SignalFailureCode>();

  const exitLeader = (exitStatus: ExitStatus = SIGTERM_DEATH, groupStaysAlive = false): void => {
    if (status !== undefined) return;
    status = exitStatus;
    if (!groupStaysAlive) groupAlive = false;
    exit.next(exitStatus);
    exit.complete();
  };
  const emptyGroup = (): void => {
    groupAlive = false;
  };
  const at = (delayMs: number, work: () => void): void => {
    if (delayMs === 0) work();
    else scheduler.schedule(work, delayMs);
  };
  const apply = (reaction: Reaction | undefined): void => {
    if (reaction === undefined) return;
    const leaderDelay = reaction.leaderExitsAfterMs;
    const groupDelay = reaction.groupGoneAfterMs ?? leaderDelay;
    const separateGroup =
      reaction.groupGoneAfterMs !== undefined && reaction.groupGoneAfterMs !== leaderDelay;
    if (leaderDelay !== undefined) at(leaderDelay, () => exitLeader(reaction.status, separateGroup));
    if (groupDelay !== undefined && separateGroup) at(groupDelay, emptyGroup);
  };

  const signalGroup = sinon.stub<[SignalName], SignalOutcome>().callsFake((signal) => {
    const failure = failures.get(signal);
    apply(reactions.get(signal));
    if (failure !== undefined) return { ok: false, code: failure, error: new Error(`kill ${failure}`) };
    return { ok: true };
  });
  const snapshotTree = sinon.stub<[], PortAnswer<readonly ProcessInfo[]>>().callsFake(() => of(processes));
  const isGroupAlive = sinon.stub<[], PortAnswer<boolean>>().callsFake(() => of(groupAlive));
  const isAlive = sinon.stub<[ProcessIdentity], PortAnswer<boolean>>().callsFake(() => of(false));
  const killProcess = sinon
    .stub<[ProcessIdentity], PortAnswer<SignalOutcome>>()
    .callsFake(() => of<SignalOutcome>({ ok: true }));

  const port: TerminationPort = {
    name: 'fake',
    root: { pid: LEADER_PID, pgid: LEADER_PID, sid: LEADER_PID },
    exitStatus: () => status,
    exit$: exit.asObservable(),
    signalGroup,
    snapshotTree,
    isGroupAlive,
    isAlive,
    killProcess,
  };
  return {
    port,
    signalGroup,
    snapshotTree,
    isGroupAlive,
    isAlive,
    killProcess,
    react: (signal, reaction) => reactions.set(signal, reaction),
    failSend: (signal, code, reaction) => {
      failures.set(signal, code);
      if (reaction !== undefined) reactions.set(signal, reaction);
    },
    exitLeader,
    emptyGroup,
    sentSignals: () => signalGroup.args.map(([signal]) => signal),
  };
}

/** A snapshot entry. */
export function member(
  pid: number,
  pgid: number | undefined,
  state: ProcessInfo['state'] = 'sleeping',
): ProcessInfo {
  return { pid, startTime: `t${pid}`, ppid: 1, pgid, sid: pgid, state, command: `cmd${pid}` };
}

/** The identity of a snapshot entry, as the pipeline hands it to the port. */
export function identity(pid: number): ProcessIdentity {
  return { pid, startTime: `t${pid}` };
}
