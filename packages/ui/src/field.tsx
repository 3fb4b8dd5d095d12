import { createContext, useContext, useId, type ComponentProps, type ReactNode } from 'react';
import { cn } from './cn.js';

interface FieldIds {
  id: string;
  errorId: string;
  hintId: string;
  error: string | undefined;
  hint: ReactNode;
}

const FieldContext = createContext<FieldIds | null>(null);

export interface FieldProps {
  label: ReactNode;
  /** Shown under the control and announced with it (aria-describedby); also marks it aria-invalid. */
  error?: string | undefined;
  hint?: ReactNode;
  className?: string;
  children: ReactNode;
}

/** A label, one control, a hint and an inline error, wired together for screen readers. */
export function Field({ label, error, hint, className, children }: FieldProps) {
  const id = useId();
  const ids: FieldIds = { id, errorId: `${id}-error`, hintId: `${id}-hint`, error, hint };
  return (
    <FieldContext.Provider value={ids}>
      <div className={cn('flex flex-col gap-1.5', className)}>
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        {children}
        {hint && (
          <p id={ids.hintId} className="text-xs text-muted-foreground">
            {hint}
          </p>
        )}
        {error && (
          <p id={ids.errorId} className="text-xs font-medium text-danger">
            {error}
          </p>
        )}
      </div>
    </FieldContext.Provider>
  );
}

/** The id, aria-invalid and aria-describedby a control inside a Field needs. */
function useFieldProps(id: string | undefined) {
  const field = useContext(FieldContext);
  if (!field) return { id };
  const describedBy = [field.hint ? field.hintId : undefined, field.error ? field.errorId : undefined].filter(Boolean).join(' ');
  return { id: id ?? field.id, 'aria-invalid': field.error ? true : undefined, 'aria-describedby': describedBy || undefined };
}

const control =
  'w-full rounded-md border border-border bg-surface px-3 text-sm text-foreground placeholder:text-muted-foreground disabled:cursor-not-allowed disabled:opacity-50 aria-invalid:border-danger';

export function Input({ className, id, ...props }: ComponentProps<'input'>) {
  return <input className={cn(control, 'h-9', className)} {...useFieldProps(id)} {...props} />;
}

export function Textarea({ className, id, ...props }: ComponentProps<'textarea'>) {
  return <textarea className={cn(control, 'min-h-20 py-2', className)} {...useFieldProps(id)} {...props} />;
}

/** A native select: keyboard, screen readers and phones already know it. */
export function Select({ className, id, ...props }: ComponentProps<'select'>) {
  return <select className={cn(control, 'h-9 pr-8', className)} {...useFieldProps(id)} {...props} />;
}
