import pc from 'picocolors';

/** Data goes to stdout (a table for a person, JSON for a pipe or --json); progress and warnings to stderr. */
export interface Output {
  json: boolean;
  colors: ReturnType<typeof pc.createColors>;
  /** Prints rows: an aligned table on a terminal, a JSON array otherwise. */
  table<T>(rows: readonly T[], columns: ReadonlyArray<[header: string, cell: (row: T) => string]>, raw?: unknown): void;
  /** Prints one record: `field  value` lines on a terminal, a JSON object otherwise. */
  record(fields: ReadonlyArray<[label: string, value: string]>, raw: unknown): void;
  /** A line of text on a terminal; `raw` as JSON otherwise. */
  line(text: string, raw: unknown): void;
  note(text: string): void;
}

export function createOutput(options: { json?: boolean; stdout?: NodeJS.WriteStream; stderr?: NodeJS.WriteStream; env?: NodeJS.ProcessEnv } = {}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const json = options.json === true || !stdout.isTTY;
  // picocolors turns colour on when CI is set even without a terminal: decide here instead.
  const colors = pc.createColors(Boolean(stdout.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb');
  const write = (text: string) => void stdout.write(`${text}\n`);
  return {
    json,
    colors,
    table(rows, columns, raw) {
      if (json) return write(JSON.stringify(raw ?? rows, null, 2));
      if (rows.length === 0) return write(colors.dim('(none)'));
      const cells = rows.map((row) => columns.map(([, cell]) => cell(row)));
      const widths = columns.map(([header], i) => Math.max(header.length, ...cells.map((line) => visibleLength(line[i]!))));
      write(colors.bold(columns.map(([header], i) => header.padEnd(widths[i]!)).join('  ').trimEnd()));
      for (const line of cells) write(line.map((cell, i) => cell + ' '.repeat(widths[i]! - visibleLength(cell))).join('  ').trimEnd());
    },
    record(fields, raw) {
      if (json) return write(JSON.stringify(raw, null, 2));
      const width = Math.max(...fields.map(([label]) => label.length));
      for (const [label, value] of fields) write(`${colors.dim(label.padEnd(width))}  ${value}`);
    },
    line(text, raw) {
      write(json ? JSON.stringify(raw, null, 2) : text);
    },
    note(text) {
      stderr.write(`${text}\n`);
    },
  };
}

// Colour codes take no room on screen.
// eslint-disable-next-line no-control-regex
const visibleLength = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '').length;
