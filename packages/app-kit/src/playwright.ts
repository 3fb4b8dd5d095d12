import { defineConfig } from '@playwright/test';

// Debian's Chromium (apt-get install -y chromium): Playwright's own browser download cannot work here.
const chromium = process.env.STAGEGATE_CHROMIUM ?? '/usr/bin/chromium';

/** An app's Playwright config: specs in `e2e/`, against the server its `globalSetup` starts. */
export function appPlaywrightConfig({ globalSetup }: { globalSetup: string }) {
  return defineConfig({
    testDir: 'e2e',
    // One server and one database for the run; the specs change shared state (kills, flags, workspace policy), so one at a time.
    workers: 1,
    fullyParallel: false,
    forbidOnly: !!process.env.CI,
    retries: 0,
    timeout: 30_000,
    expect: { timeout: 5_000 },
    globalSetup,
    reporter: [['list'], ['json', { outputFile: '.reports/playwright.json' }]],
    outputDir: 'test-results',
    use: {
      browserName: 'chromium',
      launchOptions: {
        executablePath: chromium,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      },
      viewport: { width: 1280, height: 800 },
      trace: 'retain-on-failure',
    },
  });
}
