import { appPlaywrightConfig } from '@stagegate/app-kit/playwright';

export default appPlaywrightConfig({ globalSetup: './e2e/support/globalSetup.ts' });
