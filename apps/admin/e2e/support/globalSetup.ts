import { serverGlobalSetup } from '@stagegate/app-kit/e2e/server';

// The specs open the web app too (a member's Beta Features page), so both builds are served.
export default serverGlobalSetup(['admin', 'web']);
