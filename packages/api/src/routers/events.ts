import { tracked } from '@trpc/server';
import { z } from 'zod';
import type { FlagChange } from '@stagegate/flags-core';
import type { ChangeBus } from '../services.js';
import { createStreamBacklog } from '../streamBacklog.js';
import { memberProcedure, router } from '../trpc.js';

/**
 * What a signed-in client is told: the flag set changed, its own state changed, its workspace's
 * policy changed, or "refetch everything". Nothing about other users or other workspaces.
 */
export type ClientChange = { kind: 'flags' } | { kind: 'user'; userId: string } | { kind: 'workspace' } | { kind: 'reset' };

/** A client that stops reading gets one reset instead of an ever-growing backlog. */
const MAX_BACKLOG = 100;
/** How many recent changes a process remembers for clients that reconnect: a longer gap gets a reset. */
const JOURNAL_SIZE = 500;

interface Entry {
  seq: number;
  change: FlagChange;
}

/** The bus's changes numbered in order, the last JOURNAL_SIZE kept: what a reconnecting client missed. */
interface Journal {
  /** Random per process: an id from another process (or before a restart) is never mistaken for ours. */
  epoch: string;
  head(): number;
  /** The entries after `seq`, or undefined when they are no longer all here. */
  since(seq: number): Entry[] | undefined;
  subscribe(listener: (entry: Entry) => void): () => void;
}

// One journal per bus (per process), created when the first client follows it.
const journals = new WeakMap<ChangeBus, Journal>();

function journalOf(bus: ChangeBus): Journal {
  const existing = journals.get(bus);
  if (existing) return existing;
  const entries: Entry[] = [];
  const listeners = new Set<(entry: Entry) => void>();
  let head = 0;
  bus.subscribe((change) => {
    const entry = { seq: ++head, change };
    entries.push(entry);
    if (entries.length > JOURNAL_SIZE) entries.shift();
    for (const listener of [...listeners]) listener(entry);
  });
  const journal: Journal = {
    epoch: Math.random().toString(36).slice(2, 10),
    head: () => head,
    since(seq) {
      if (seq > head) return undefined;
      const oldest = entries[0]?.seq ?? head + 1;
      if (seq < oldest - 1) return undefined;
      return entries.filter((entry) => entry.seq > seq);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  journals.set(bus, journal);
  return journal;
}

const eventId = (journal: Journal, seq: number) => `${journal.epoch}.${seq}`;

/** The sequence number in an id this journal gave out, else undefined (another process, or garbage). */
function seqOf(journal: Journal, id: string | null | undefined): number | undefined {
  const [epoch, seq] = (id ?? '').split('.');
  return epoch === journal.epoch && seq !== undefined && /^\d{1,15}$/.test(seq) ? Number(seq) : undefined;
}

/** `lastEventId` is what tRPC's SSE link sends back when it reconnects after a dropped connection. */
export const ResumeInput = z.strictObject({ lastEventId: z.string().max(100).nullish() }).optional();

interface FollowOptions {
  bus: ChangeBus;
  userId: string;
  workspaceId: string;
  lastEventId?: string | null | undefined;
  signal: AbortSignal | undefined;
}

/**
 * One member's changes, each with the id to resume after. Starts with the changes missed since
 * `lastEventId` when this process still has them all, else with a reset (refetch everything).
 */
async function* follow({ bus, userId, workspaceId, lastEventId, signal }: FollowOptions): AsyncGenerator<{ id: string; event: ClientChange }, void, unknown> {
  const journal = journalOf(bus);
  const relevant = (change: FlagChange): ClientChange | undefined => {
    if (change.kind === 'workspace') return change.workspaceId === workspaceId ? { kind: 'workspace' } : undefined;
    if (change.kind !== 'user') return { kind: change.kind };
    const mine = change.userId === userId && (change.workspaceId === undefined || change.workspaceId === workspaceId);
    return mine ? { kind: 'user', userId } : undefined;
  };
  const backlog = createStreamBacklog<{ seq: number; event: ClientChange }>(MAX_BACKLOG, ({ seq }) => ({ seq, event: { kind: 'reset' } }));
  // Subscribed in the same tick as reading the journal, so nothing falls between the missed and the live.
  const unsubscribe = journal.subscribe(({ seq, change }) => {
    const event = relevant(change);
    if (event) backlog.push({ seq, event });
  });
  const resumeFrom = seqOf(journal, lastEventId);
  const missed = resumeFrom === undefined ? undefined : journal.since(resumeFrom);
  const start = journal.head();

  try {
    if (missed === undefined) yield { id: eventId(journal, start), event: { kind: 'reset' } };
    for (const { seq, change } of missed ?? []) {
      const event = relevant(change);
      if (event) yield { id: eventId(journal, seq), event };
    }
    for await (const { seq, event } of backlog.drain(signal)) yield { id: eventId(journal, seq), event };
  } finally {
    unsubscribe();
  }
}

export const eventsRouter = router({
  /**
   * Server-sent events over tRPC. The first event is always a reset: the client may have missed
   * changes before (or between) connections. Other users' changes are never sent.
   */
  onChange: memberProcedure.subscription(async function* ({ ctx, signal }): AsyncGenerator<ClientChange, void, unknown> {
    const options = { bus: ctx.services.changes, userId: ctx.member.user.id, workspaceId: ctx.member.workspace.id, signal };
    for await (const { event } of follow(options)) yield event;
  }),
  /**
   * onChange with an id on every event (`tracked`): a client that reconnects with `lastEventId`
   * gets what it missed instead of a reset, while this process still remembers it. The apps use this one.
   */
  onChangeResumable: memberProcedure.input(ResumeInput).subscription(async function* ({ ctx, input, signal }) {
    const options = { bus: ctx.services.changes, userId: ctx.member.user.id, workspaceId: ctx.member.workspace.id, lastEventId: input?.lastEventId, signal };
    for await (const { id, event } of follow(options)) yield tracked(id, event);
  }),
});
