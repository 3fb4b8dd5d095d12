import { Toaster as Sonner, toast } from 'sonner';
import { useTheme } from './theme.js';

export { toast };

/** The app's one toast region, following the theme; sonner announces toasts through a live region. */
export function Toaster() {
  const { resolved } = useTheme();
  return <Sonner theme={resolved} position="bottom-right" closeButton toastOptions={{ duration: 5000 }} />;
}
