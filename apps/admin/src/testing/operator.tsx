import type { OperatorRole } from '@stagegate/api/contract';
import type { ReactElement } from 'react';
import { OperatorContext } from '../auth/OperatorContext.js';

/** Wraps a component in a signed-in operator of `role`, as the shell provides it. */
export function asOperator(ui: ReactElement, role: OperatorRole = 'editor'): ReactElement {
  const operator = { user: { id: 'op1', email: `${role}@stagegate.dev`, name: `An ${role}` }, role, signOut: () => undefined };
  return <OperatorContext.Provider value={operator}>{ui}</OperatorContext.Provider>;
}
