import { Button } from '@stagegate/ui/button';
import { RoleGate } from '../auth/RoleGate.js';
import { errorMessage } from './errors.js';

interface FormActionsProps {
  /** The server's refusal when no field took it (a field's own error shows under that field). */
  error: unknown;
  pending: boolean;
  label: string;
  pendingLabel: string;
}

/** A two-column form's last row: the error no field took, then the submit button editors get (viewers see why not). */
export function FormActions({ error, pending, label, pendingLabel }: FormActionsProps) {
  return (
    <>
      {error !== null && error !== undefined && (
        <p role="alert" className="rounded-md border border-danger/40 bg-danger/5 px-3 py-2 text-sm sm:col-span-2">
          {errorMessage(error)}
        </p>
      )}
      <div className="flex justify-end sm:col-span-2">
        <RoleGate role="editor">
          <Button type="submit" disabled={pending}>
            {pending ? pendingLabel : label}
          </Button>
        </RoleGate>
      </div>
    </>
  );
}
