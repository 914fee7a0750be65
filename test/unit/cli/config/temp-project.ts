import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory with the given files, removed by `remove()`. */
export interface TempProject {
  readonly dir: string;
  write(name: string, text: string): string;
  remove(): void;
}

export function tempProject(files: Readonly<Record<string, string>> = {}): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'rxproc-config-'));
  const project: TempProject = {
    dir,
    write(name, text) {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (const [name, text] of Object.entries(files)) project.write(name, text);
  return project;
}

/** Joins lines, so a fixture's line numbers can be read off the array index (+1). */
export const lines = (...text: string[]): string => `${text.join('\n')}\n`;
