/** @internal */
/** This process's own environment and working directory: what a child inherits unless told otherwise. */
export interface ParentEnvironment {
  /** The variables a child inherits (read at each spawn, so later changes to `process.env` count). */
  variables(): NodeJS.ProcessEnv;
  /** The directory a child starts in when no `cwd` is given. */
  cwd(): string;
  /** Whether this is Windows, where `PATHEXT` decides which files a bare command name may mean. */
  readonly windows: boolean;
}

/** @internal */
/** The real `process`. */
export const processEnvironment: ParentEnvironment = {
  variables: () => process.env,
  cwd: () => process.cwd(),
  windows: process.platform === 'win32',
};
