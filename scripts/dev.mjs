// Development: the API (tsx, embedded database, demo data) on :3000 and Vite with hot reload for
// the web app on :5173 and the dashboard on :5174/admin/, both proxying /trpc, /auth and /api to it. Ctrl-C stops all three.
import { supervise } from './supervise.mjs';

supervise([
  { name: 'server', args: ['--filter', '@stagegate/server', 'dev'] },
  { name: 'web', args: ['--filter', '@stagegate/web', 'dev'] },
  { name: 'admin', args: ['--filter', '@stagegate/admin', 'dev'] },
]);
