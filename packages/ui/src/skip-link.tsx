/** The first thing Tab reaches: jumps past the header to `#main`, shown only while focused. */
export function SkipLink({ target = 'main' }: { target?: string }) {
  return (
    <a href={`#${target}`} className="sr-only rounded-md bg-surface px-3 py-2 focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50">
      Skip to content
    </a>
  );
}
