import { appViteConfig } from '@stagegate/app-kit/vite';

export default appViteConfig({ port: 5173 });
