import { expect } from 'chai';
import * as rxproc from '../../../src/index.js';
import {
  RxprocError,
  type SpawnErrorCode,
  type StdinErrorCode,
  SpawnError,
  StdinError,
} from '../../../src/index.js';

/** One style for every code: plain upper-case words joined by underscores, no prefix. */
const CODE_STYLE = /^[A-Z][A-Z_]*$/;

type ErrorClass = abstract new (...args: never[]) => Error;

/** Every class the package entry exports that is an Error, found at run time so a new one cannot be missed. */
function exportedErrorClasses(): Map<string, ErrorClass> {
  const found = new Map<string, ErrorClass>();
  for (const [name, value] of Object.entries(rxproc)) {
    if (typeof value === 'function' && value.prototype instanceof Error) found.set(name, value as ErrorClass);
  }
  return found;
}

/**
 * One instance of each concrete error class. A class exported from the entry but missing here fails the first
 * test, so adding an error class means adding it here, where its code is checked.
 */
const samples: Record<string, () => Error> = {
  SpawnError: () => new SpawnError('COMMAND_NOT_FOUND', 'app', 'not found'),
  StdinError: () => new StdinError('STDIN_CLOSED', 'app', 'closed'),
  AbortedError: () => new rxproc.AbortedError('wait()', 'stop'),
  TerminationError: () => new rxproc.TerminationError('app', []),
  InvalidOptionError: () => new rxproc.InvalidOptionError('timeoutMs', -1, 'a duration'),
  InvalidSignalError: () => new rxproc.InvalidSignalError('SIGNOPE', 'unknown'),
  OutputChunkTypeError: () => new rxproc.OutputChunkTypeError('object chunk'),
  OutputPrematureCloseError: () => new rxproc.OutputPrematureCloseError('destroyed'),
  OutputStreamStateError: () => new rxproc.OutputStreamStateError('attached twice'),
  SinkOverflowError: () => new rxproc.SinkOverflowError(1024),
  SinkWriteError: () => new rxproc.SinkWriteError('sink failed', 0),
  ExitError: () => new rxproc.ExitError('app', { code: 2, signal: null }, ['boom']),
  SupervisorConfigError: () => new rxproc.SupervisorConfigError('services.api.command', 'expected a string'),
  DependencyCycleError: () => new rxproc.DependencyCycleError(['a', 'b', 'a']),
  UnknownServiceError: () => new rxproc.UnknownServiceError('apii'),
  ServiceNotReadyError: () => new rxproc.ServiceNotReadyError('api', 'failed', 'readiness timed out'),
  SupervisorStoppedError: () => new rxproc.SupervisorStoppedError('start api'),
};

// Records over the code unions: the compiler refuses a missing or an unknown code, so every code is checked.
const spawnCodes: Record<SpawnErrorCode, true> = {
  COMMAND_NOT_FOUND: true,
  NOT_EXECUTABLE: true,
  INTERPRETER_NOT_FOUND: true,
  CWD_NOT_FOUND: true,
  CWD_NOT_DIRECTORY: true,
  INVALID_ARGUMENT: true,
  ARGUMENT_LIST_TOO_LONG: true,
  TOO_MANY_OPEN_FILES: true,
  INVALID_OPTION: true,
  ABORTED: true,
  UNKNOWN: true,
};
const stdinCodes: Record<StdinErrorCode, true> = {
  STDIN_NOT_PIPED: true,
  STDIN_CLOSED: true,
  STDIN_ENDED: true,
  PROCESS_NOT_RUNNING: true,
};

describe('error classes', () => {
  it('every exported error class has a sample here, and the base class is exported', () => {
    const classes = exportedErrorClasses();
    expect(classes.get('RxprocError')).to.equal(RxprocError);
    classes.delete('RxprocError');
    expect([...classes.keys()].sort()).to.deep.equal(Object.keys(samples).sort());
  });

  for (const [name, make] of Object.entries(samples)) {
    it(`${name} is an RxprocError named after its class, with a code in the one style`, () => {
      const error = make();
      expect(error).to.be.instanceOf(RxprocError);
      expect(error.name).to.equal(name);
      expect((error as RxprocError).code).to.match(CODE_STYLE);
    });
  }

  it('every SpawnError and StdinError code is in the one style', () => {
    for (const code of Object.keys(spawnCodes)) expect(code).to.match(CODE_STYLE);
    for (const code of Object.keys(stdinCodes)) expect(code).to.match(CODE_STYLE);
  });

  it('InvalidOptionError is no longer a RangeError', () => {
    expect(new rxproc.InvalidOptionError('x', 0, 'y')).not.to.be.instanceOf(RangeError);
  });
});
