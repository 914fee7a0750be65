/** Plain-text tables for the terminal and for pasting into Markdown. */

/** A column: its header, and whether its cells are numbers (right-aligned). */
export interface Column {
  readonly header: string;
  readonly numeric?: boolean;
}

/** Renders a Markdown-compatible table with padded cells, readable as is in a terminal. */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const pad = (text: string, index: number): string =>
    columns[index]?.numeric === true ? text.padStart(widths[index]!) : text.padEnd(widths[index]!);
  const line = (cells: readonly string[]): string =>
    `| ${columns.map((_, index) => pad(cells[index] ?? '', index)).join(' | ')} |`;
  const rule = `|${columns
    .map((column, index) => {
      const dashes = '-'.repeat(widths[index]! + 2);
      return column.numeric === true ? `${dashes.slice(1)}:` : dashes;
    })
    .join('|')}|`;
  return [line(columns.map((column) => column.header)), rule, ...rows.map(line)].join('\n');
}

/** A number with fixed decimals, or `n/a`. */
export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/** Bytes as MiB with one decimal, or `n/a`. */
export function mib(bytes: number): string {
  return Number.isFinite(bytes) ? (bytes / 2 ** 20).toFixed(1) : 'n/a';
}

/** A ratio against the floor, with a goal mark when a goal applies: `1.08× ✓` or `1.40× ✗`. */
export function ratioCell(value: number, goal?: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const text = `${value.toFixed(2)}×`;
  if (goal === undefined) return text;
  return `${text} ${value <= goal ? 'ok' : 'MISS'}`;
}
