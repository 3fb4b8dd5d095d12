import type { OperatorRole } from '@stagegate/api/contract';
import { operatorRank } from '@stagegate/api/contract';
import { createContext, useContext } from 'react';

export interface Operator {
  user: { id: string; email: string; name: string };
  role: OperatorRole;
  signOut(): void;
}

export const OperatorContext = createContext<Operator | null>(null);

export function useOperator(): Operator {
  const operator = useContext(OperatorContext);
  if (!operator) throw new Error('useOperator outside a signed-in dashboard');
  return operator;
}

/** Whether the signed-in operator's role reaches `role` (viewer < editor < owner). */
export function useMayAct(role: OperatorRole): boolean {
  return operatorRank(useOperator().role) >= operatorRank(role);
}
