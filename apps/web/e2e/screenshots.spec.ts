import { fileURLToPath } from 'node:url';
import { axeViolations, callApi, expect, signInAs, test, TOKENS } from './support/fixtures.js';

// Committed so reviewers can look without running anything; each run rewrites them.
const shots = fileURLToPath(new URL('./screenshots/', import.meta.url));

const sizes = [
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
  { name: 'phone', viewport: { width: 375, height: 812 } },
] as const;

// Acme's member: Global Chat on through the workspace policy, Auto-Tagging opted in, Privacy Agent off: every state on one page.
test.beforeAll(() => callApi('betaFeatures.toggle', { key: 'auto-tagging-v2', enabled: true }, TOKENS.acmeMember));
test.afterAll(() => callApi('betaFeatures.toggle', { key: 'auto-tagging-v2', enabled: false }, TOKENS.acmeMember));

for (const theme of ['light', 'dark'] as const) {
  for (const size of sizes) {
    test(`settings page, ${theme}, ${size.name}: fits the width and passes axe`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      await page.setViewportSize(size.viewport);
      await signInAs(page, 'acmeMember');
      await page.goto('/settings/beta-features');
      await expect(page.getByRole('switch', { name: 'Auto-Tagging V2' })).toHaveAttribute('aria-checked', 'true');
      await expect(page.locator('html')).toHaveClass(theme === 'dark' ? /dark/ : /^(?!.*dark)/);
      // Nothing wider than the screen: no sideways scrolling at 375 px.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.viewport.width);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: `${shots}settings-${theme}-${size.name}.png`, fullPage: true });
    });
  }
}

test('workspace betas page (admin), light desktop and dark phone', async ({ page }) => {
  await signInAs(page, 'acmeAdmin');
  await page.goto('/settings/workspace-betas');
  await expect(page.getByLabel('Policy for Internal Search')).toHaveValue('blocked');
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: `${shots}workspace-betas-light-desktop.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 375, height: 812 });
  await expect(page.locator('html')).toHaveClass(/dark/);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: `${shots}workspace-betas-dark-phone.png`, fullPage: true });
});
