import { useEffect, useState } from 'react';

const HIGHLIGHT_MS = 2_500;

/** `#<key>` in the address: once that card is rendered, scroll to it, focus it and highlight it for a moment. */
export function useDeepLink(ready: boolean): string | undefined {
  const [target, setTarget] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!ready) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const follow = () => {
      const key = decodeURIComponent(location.hash.slice(1));
      const element = key ? document.getElementById(key) : null;
      if (!element) return;
      element.scrollIntoView?.({ block: 'center' });
      element.focus({ preventScroll: true });
      setTarget(key);
      clearTimeout(timer);
      timer = setTimeout(() => setTarget(undefined), HIGHLIGHT_MS);
    };
    follow();
    window.addEventListener('hashchange', follow);
    return () => {
      window.removeEventListener('hashchange', follow);
      clearTimeout(timer);
    };
  }, [ready]);
  return target;
}
