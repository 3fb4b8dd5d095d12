import { Search, type LucideIcon } from 'lucide-react';

/** Navigation entries that exist only while their flag is on for this user (flags.evaluate). */
export interface GatedPage {
  flagKey: string;
  path: string;
  label: string;
  icon: LucideIcon;
}

export const GATED_PAGES: readonly GatedPage[] = [{ flagKey: 'internal-search', path: '/search', label: 'Search', icon: Search }];

export const GATED_KEYS = GATED_PAGES.map((page) => page.flagKey);
