import type { Stage } from './trpc.js';

export const STAGE_LABELS: Record<Stage, string> = { lab: 'Lab', alpha: 'Alpha', beta: 'Beta', ga: 'GA' };
export const STAGE_ORDER: readonly Stage[] = ['lab', 'alpha', 'beta', 'ga'];

/** 0.1 stays 0.1, 25 stays 25: no trailing zeros. */
export const percent = (value: number) => `${Number(value.toFixed(2))} %`;

const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });
export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
export const formatDate = (iso: string) => dateOnly.format(new Date(iso));
