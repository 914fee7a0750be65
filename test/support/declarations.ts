/** Checks on the published declaration files: which ones the entry reaches, and whether they type-check. */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';

const RELATIVE_SPECIFIER = /(?:\bfrom|\bimport\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** The declaration files reachable from `entry` through relative imports and re-exports, relative to `root`. */
export function reachableDeclarations(root: string, entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(join(root, file), 'utf8');
    for (const [, specifier] of text.matchAll(RELATIVE_SPECIFIER)) {
      const target = join(dirname(file), specifier!.replace(/\.js$/, '.d.ts'));
      pending.push(target.split(sep).join('/'));
    }
  }
  return seen;
}

/** True when a declaration file declares nothing: all its exports were stripped as `@internal`. */
export function declaresNothing(text: string): boolean {
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .trim();
  return code === '' || code === 'export {};';
}

/**
 * Type-checks a consumer project in-process with `skipLibCheck: false`. Only the project's own files and the
 * package's declarations are asked for diagnostics: checking all of `@types/node` and rxjs too would take seconds
 * and test other people's packages.
 */
export function typeCheck(projectDir: string, packageDir: string): string[] {
  const configPath = join(projectDir, 'tsconfig.json');
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  };
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, host);
  if (config === undefined) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const ours = program
    .getSourceFiles()
    .filter((file) => isOwnFile(projectDir, file.fileName) || isInside(packageDir, file.fileName));
  const diagnostics = [
    ...config.errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ours.flatMap((file) => [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    ]),
  ];
  return diagnostics.map((diagnostic) => {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (diagnostic.file === undefined || diagnostic.start === undefined) return text;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${relative(projectDir, diagnostic.file.fileName)}:${line + 1}: ${text}`;
  });
}

/** A file of the project itself, not of a dependency (dependencies resolve to their real paths, elsewhere). */
function isOwnFile(projectDir: string, file: string): boolean {
  return isInside(projectDir, file) && !relative(projectDir, file).startsWith('node_modules');
}

function isInside(dir: string, file: string): boolean {
  const path = relative(dir, file);
  return path !== '' && !path.startsWith('..');
}
