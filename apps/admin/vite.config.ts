import { appViteConfig } from '@stagegate/app-kit/vite';

// The server serves this build at /admin; `pnpm dev` runs it on :5174.
export default appViteConfig({ port: 5174, base: '/admin/' });
