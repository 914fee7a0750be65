/** Which code was measured: figures from a dirty tree must say so, since others' work in progress is included. */
import { execFileSync } from 'node:child_process';

export interface Revision {
  readonly commit: string;
  /** Uncommitted changes under `src/` at the start of the run. */
  readonly srcDirty: boolean;
}

export function currentRevision(): Revision {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { encoding: 'utf8' }).trim();
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      srcDirty: git('status', '--porcelain', 'src') !== '',
    };
  } catch {
    return { commit: 'unknown', srcDirty: true };
  }
}
