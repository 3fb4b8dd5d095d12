import { trpc } from '../lib/trpc.js';

/**
 * Follows admin.events.onChange: any change (another operator's write, a member's opt-in, an
 * override) refetches what the dashboard shows, so two operators see each other's edits live.
 * Forms keep their drafts: they hold their own state and save against the version they started from.
 */
export function useLiveUpdates(): void {
  const utils = trpc.useUtils();
  trpc.admin.events.onChange.useSubscription(undefined, {
    onData: () => void utils.admin.invalidate(),
  });
}
