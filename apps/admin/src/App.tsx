import { ThemeProvider } from '@stagegate/ui/theme';
import { Toaster } from '@stagegate/ui/toast';
import { ApiProvider } from './lib/ApiProvider.js';
import { Root } from './Root.js';

export function App() {
  return (
    <ThemeProvider>
      <ApiProvider>
        <Root />
      </ApiProvider>
      <Toaster />
    </ThemeProvider>
  );
}
