import type { OperatorRole } from '@stagegate/api/contract';
import { Tooltip } from '@stagegate/ui/tooltip';
import { cloneElement, type ReactElement } from 'react';
import { useMayAct } from './OperatorContext.js';

const WHY: Record<OperatorRole, string> = {
  viewer: 'Signed-in operators only.',
  editor: 'Your operator role is viewer: you can read everything, and changing flags needs the editor role.',
  owner: 'Only operators with the owner role manage API tokens and operators.',
};

/**
 * A write control for operators of `role` and up; below it the control is disabled and a tooltip
 * says why (the wrapper takes focus, since a disabled button cannot).
 */
export function RoleGate({ role, children }: { role: OperatorRole; children: ReactElement<{ disabled?: boolean }> }) {
  const allowed = useMayAct(role);
  if (allowed) return children;
  return (
    <Tooltip content={WHY[role]}>
      <span tabIndex={0} className="inline-flex rounded-md">
        {cloneElement(children, { disabled: true })}
        <span className="sr-only">{WHY[role]}</span>
      </span>
    </Tooltip>
  );
}
