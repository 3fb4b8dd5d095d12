import { useEffect } from 'react';
import { useSession } from '../auth/SessionContext.js';
import { trpc } from '../lib/trpc.js';

const storageKey = (userId: string) => `stagegate:discovered:${userId}`;

function seen(userId: string): Set<string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey(userId)) ?? '[]');
    return new Set(Array.isArray(parsed) ? parsed.filter((key): key is string => typeof key === 'string') : []);
  } catch {
    return new Set();
  }
}

/** beta_feature_discovered, once per user and feature: the first time its badge is on screen anywhere. */
export function useDiscovered(flagKey: string, location: string, visible = true): void {
  const { user } = useSession();
  const { mutate } = trpc.betaFeatures.trackDiscovered.useMutation();
  useEffect(() => {
    if (!visible) return;
    const keys = seen(user.id);
    if (keys.has(flagKey)) return;
    keys.add(flagKey);
    localStorage.setItem(storageKey(user.id), JSON.stringify([...keys]));
    mutate({ key: flagKey, location });
  }, [flagKey, location, visible, user.id, mutate]);
}
