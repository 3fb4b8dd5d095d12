import { ThemeProvider } from '@stagegate/ui/theme';
import { Toaster } from '@stagegate/ui/toast';
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';

/** Renders an app (its API provider and root) into #root, inside the shared theme and toasts. */
export function mountApp(app: ReactNode): void {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <ThemeProvider>
        {app}
        <Toaster />
      </ThemeProvider>
    </StrictMode>,
  );
}
