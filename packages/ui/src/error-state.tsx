import { CircleAlert } from 'lucide-react';
import { Button } from './button.js';
import { cn } from './cn.js';

export interface ErrorStateProps {
  title: string;
  /** What went wrong, in words a user can act on. */
  description?: string;
  onRetry?: () => void;
  retrying?: boolean;
  className?: string;
}

/** A failed load, announced to screen readers (role="alert"), with a retry when one can help. */
export function ErrorState({ title, description, onRetry, retrying = false, className }: ErrorStateProps) {
  return (
    <div role="alert" className={cn('flex flex-col items-center gap-2 rounded-lg border border-danger/40 bg-danger/5 px-6 py-10 text-center', className)}>
      <CircleAlert aria-hidden="true" className="size-8 text-danger" />
      <h2 className="text-base font-semibold">{title}</h2>
      {description && <p className="max-w-prose text-sm text-muted-foreground">{description}</p>}
      {onRetry && (
        <Button variant="secondary" className="mt-2" onClick={onRetry} disabled={retrying}>
          {retrying ? 'Retrying…' : 'Try again'}
        </Button>
      )}
    </div>
  );
}
