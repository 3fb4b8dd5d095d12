// The dashboard lives under /admin; a few pages need no routing library: the path picks the page.
import { useSyncExternalStore, type ComponentProps, type MouseEvent } from 'react';

export const BASE = '/admin';
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** An app path (`/flags/x`) as the browser's URL (`/admin/flags/x`). */
export const href = (to: string) => `${BASE}${to === '/' ? '/' : to}`;

export function navigate(to: string): void {
  history.pushState(null, '', href(to));
  notify();
  window.scrollTo?.(0, 0);
}

/** The path inside the dashboard, `/` for the board. */
export function usePath(): string {
  const path = useSyncExternalStore(subscribe, () => location.pathname);
  const inside = path.startsWith(BASE) ? path.slice(BASE.length) : path;
  return inside === '' ? '/' : inside;
}

/** A plain <a> (middle-click and copy link work) that navigates in place on a normal click. */
export function Link({ to, onClick, ...props }: Omit<ComponentProps<'a'>, 'href'> & { to: string }) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={href(to)} onClick={handle} {...props} />;
}
