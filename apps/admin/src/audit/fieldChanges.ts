import { diff, type Delta } from 'jsondiffpatch';
import type { FieldChangeRow } from '@stagegate/ui/diff-view';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Both sides of a change, field by field where either side is an object (`kill: null → {…}` becomes `kill.reason: ∅ → "…"`). */
function expand(path: string, before: unknown, after: unknown, out: FieldChangeRow[]): void {
  if (isObject(before) || isObject(after)) {
    const b = isObject(before) ? before : {};
    const a = isObject(after) ? after : {};
    for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (JSON.stringify(b[key]) !== JSON.stringify(a[key])) expand(path ? `${path}.${key}` : key, b[key], a[key], out);
    }
    return;
  }
  out.push({ path, before, after });
}

function walk(delta: Delta, path: string, before: unknown, after: unknown, out: FieldChangeRow[]): void {
  // An array or a replaced value: jsondiffpatch's own shapes (`[new]`, `[old, new]`, `[old, 0, 0]`, `{_t: 'a'}`) say *that* it changed; the two sides say what.
  const node: unknown = delta;
  if (!isObject(node) || node._t === 'a') return expand(path, before, after, out);
  for (const key of Object.keys(node)) {
    const child = node[key] as Delta;
    walk(child, path ? `${path}.${key}` : key, isObject(before) ? before[key] : undefined, isObject(after) ? after[key] : undefined, out);
  }
}

/** An audit entry's before/after as `path: old → new` rows; a created thing has every field added, a removed one every field removed. */
export function fieldChanges(before: Json | null, after: Json | null): FieldChangeRow[] {
  const delta = diff(before ?? {}, after ?? {});
  const out: FieldChangeRow[] = [];
  if (delta) walk(delta, '', before ?? {}, after ?? {}, out);
  return out;
}
