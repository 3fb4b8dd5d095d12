import { cn } from './cn.js';
import { ErrorState } from './error-state.js';
import { Skeleton } from './skeleton.js';

/** While an app asks who is signed in: a page-shaped placeholder, `wide` for the dashboard's layout. */
export function StartupLoading({ label, wide = false }: { label: string; wide?: boolean }) {
  return (
    <div role="status" aria-label={label} className={cn('mx-auto flex flex-col gap-4 p-6', wide ? 'max-w-5xl' : 'max-w-3xl')}>
      <Skeleton className="h-8 w-40" />
      <Skeleton className={cn('w-full', wide ? 'h-40' : 'h-24')} />
    </div>
  );
}

/** The server did not answer who is signed in: the whole page is this error, with a retry. */
export function StartupError({ description, onRetry, retrying }: { description: string; onRetry: () => void; retrying: boolean }) {
  return (
    <main className="mx-auto max-w-xl p-6">
      <ErrorState title="Stagegate is unreachable" description={description} onRetry={onRetry} retrying={retrying} />
    </main>
  );
}
