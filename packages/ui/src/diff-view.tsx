import { cn } from './cn.js';

export interface FieldChangeRow {
  /** Where in the object, dotted: `rolloutPercentage`, `kill.reason`. */
  path: string;
  /** Absent before (added) or after (removed) is `undefined`. */
  before: unknown;
  after: unknown;
}

export function formatValue(value: unknown): string {
  if (value === undefined) return '∅';
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** A field-level diff, one `path: old → new` line per change; the arrow and the words carry it, the colours repeat it. */
export function DiffView({ changes, className }: { changes: readonly FieldChangeRow[]; className?: string }) {
  if (changes.length === 0) return <p className={cn('text-xs text-muted-foreground', className)}>No field changed.</p>;
  return (
    <ul className={cn('flex flex-col gap-0.5 font-mono text-xs break-all', className)}>
      {changes.map((change) => (
        <li key={change.path}>
          <span className="font-semibold">{change.path}</span>: <del className="text-red-700 decoration-1 dark:text-red-300">{formatValue(change.before)}</del>
          <span aria-hidden="true"> → </span>
          <span className="sr-only">changed to </span>
          <ins className="text-green-800 no-underline dark:text-green-300">{formatValue(change.after)}</ins>
        </li>
      ))}
    </ul>
  );
}
