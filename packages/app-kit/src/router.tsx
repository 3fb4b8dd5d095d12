// A few pages need no routing library: the path picks the page, and `#<key>` stays free for deep links.
import { useSyncExternalStore, type ComponentProps, type MouseEvent } from 'react';

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

export interface RouterOptions {
  /** Where the app is served (`/admin`); app paths are written without it. */
  base?: string;
  /** Start each new page at its top, as a dashboard of long pages wants. */
  scrollToTop?: boolean;
}

/** `href`, `navigate`, `usePath` and `Link` for an app served at `base`. */
export function createRouter({ base = '', scrollToTop = false }: RouterOptions = {}) {
  /** An app path (`/flags/x`) as the browser's URL (`/admin/flags/x`). */
  const href = (to: string) => `${base}${to === '/' ? '/' : to}`;

  function navigate(to: string, { replace = false } = {}): void {
    if (replace) history.replaceState(null, '', href(to));
    else history.pushState(null, '', href(to));
    notify();
    if (scrollToTop) window.scrollTo?.(0, 0);
  }

  /** The path inside the app, `/` for its home. */
  function usePath(): string {
    const path = useSyncExternalStore(subscribe, () => location.pathname);
    const inside = path.startsWith(base) ? path.slice(base.length) : path;
    return inside === '' ? '/' : inside;
  }

  /** A plain <a> (middle-click and copy link work) that navigates in place on a normal click. */
  function Link({ to, onClick, ...props }: Omit<ComponentProps<'a'>, 'href'> & { to: string }) {
    const handle = (event: MouseEvent<HTMLAnchorElement>) => {
      onClick?.(event);
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(to);
    };
    return <a href={href(to)} onClick={handle} {...props} />;
  }

  return { href, navigate, usePath, Link };
}
