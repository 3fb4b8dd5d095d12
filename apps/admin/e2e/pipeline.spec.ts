import { fileURLToPath } from 'node:url';
import { axeViolations, callApi, expect, signInAs, test, TOKENS } from './support/fixtures.js';

const shots = fileURLToPath(new URL('./screenshots/', import.meta.url));
const FLAG = 'global-chat-enabled';
const SERVICE_TOKEN = 'dev-service-token';

type Counts = { enabled: number; enabledErrors: number; disabled: number; disabledErrors: number; fallbacks: number };

/** What a service's createFlagClient sends: one 20 s window per entry, the oldest first, the last ending now. */
async function reportRouteCalls(minutes: Counts[]) {
  const sentAt = Date.now();
  const latency = (calls: number) => [0, Math.round(calls * 0.3), Math.round(calls * 0.5), calls - Math.round(calls * 0.3) - Math.round(calls * 0.5) - 1, 1, 0, 0, 0, 0, 0, 0, 0, 0];
  const path = (calls: number, errors: number, msEach: number) => ({ calls, errors, latencyMs: latency(calls), latencySumMs: calls * msEach });
  const windows = minutes.map((c, i) => {
    const end = sentAt - (minutes.length - 1 - i) * 60_000;
    return {
      start: new Date(end - 20_000).toISOString(),
      end: new Date(end).toISOString(),
      flags: [{ key: FLAG, evaluations: [], route: { enabled: path(c.enabled, c.enabledErrors, 6), disabled: path(c.disabled, c.disabledErrors, 9), fallbacks: c.fallbacks } }],
    };
  });
  const response = await fetch(`${process.env.STAGEGATE_E2E_URL}/api/flags/metrics`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ sentAt: new Date(sentAt).toISOString(), windows, dropped: { windows: 0, evaluations: 0, routeCalls: 0 } }),
  });
  expect(response.status).toBe(202);
}

/** Half an hour of a healthy rollout: the new path's share growing, a rare error on either path. */
const healthyHalfHour = Array.from({ length: 30 }, (_, i) => ({
  enabled: 20 + i * 2,
  enabledErrors: i % 7 === 3 ? 2 : 0,
  disabled: 180 - i * 2,
  disabledErrors: i % 10 === 0 ? 1 : 0,
  fallbacks: i % 7 === 3 ? 2 : 0,
}));

test.describe.configure({ mode: 'serial' });

test('an editor attaches a release plan, sees step 1 waiting, schedules a change and cancels it', async ({ page }) => {
  test.setTimeout(90_000);
  await reportRouteCalls(healthyHalfHour);
  await signInAs(page, 'editor');
  await page.goto(`/admin/flags/${FLAG}`);
  await page.getByRole('tab', { name: 'Pipeline' }).click();

  const health = page.getByRole('region', { name: 'Pipeline health' });
  await health.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '1 h' }).click();
  await expect(health.getByTestId('health-summary')).toContainText(/^Last 1 h: [\d,]+ route\(\) decisions, [\d.]+ % to the new path/);
  await expect(health.getByRole('table', { name: 'route() totals per path, last 1 h' })).toContainText('New path (enabled)');

  const attach = page.getByRole('form', { name: 'Attach a release plan' });
  await expect(attach.getByLabel('Steps (%)')).toHaveValue('0.1, 5, 25, 50, 100');
  await attach.getByLabel('Least new-path calls per step').fill('');
  await attach.getByRole('button', { name: 'Attach plan' }).click();
  await expect(attach.getByText('A whole number of calls, 0 or more')).toBeVisible();
  await attach.getByLabel('Least new-path calls per step').fill('1000');
  await attach.getByLabel('Reason (optional)').fill('e2e: Phoenix rollout, ADR-074');
  await attach.getByRole('button', { name: 'Attach plan' }).click();
  await expect(page.getByText('Release plan attached')).toBeVisible();

  const steps = page.getByRole('list', { name: 'Plan steps' });
  await expect(steps.getByRole('listitem')).toHaveCount(5);
  await expect(steps.locator('[aria-current="step"]')).toContainText('0.1 %Current');
  await expect(page.getByTestId('plan-why')).toContainText(/Waiting for (time: (1 h|\d+ min) left at step 1 of 5 \(0.1 %\)|samples: [\d,]+ of 1,000 calls)/);
  await expect(page.getByRole('button', { name: 'Pause' })).toBeEnabled();
  await expect(page.getByRole('form', { name: 'Attach a release plan' })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Release' }).click();
  await expect(page.getByText('A release plan steers this rollout (step 1 of 5, 0.1 %). Setting it here pauses the plan')).toBeVisible();
  await page.getByRole('tab', { name: 'Pipeline' }).click();

  const schedule = page.getByRole('form', { name: 'Schedule a change' });
  await schedule.getByLabel('Rollout %').fill('25');
  await schedule.getByLabel('Reason').fill('e2e: open wider on Monday');
  await schedule.getByRole('button', { name: 'Schedule change' }).click();
  await expect(schedule.getByText('Pick a date and time')).toBeVisible();
  const tomorrow = new Date(Date.now() + 86_400_000);
  const local = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}T09:30`;
  await schedule.getByLabel('When (your local time)').fill(local);
  await schedule.getByRole('button', { name: 'Schedule change' }).click();
  await expect(page.getByText('Change scheduled')).toBeVisible();
  const item = page.getByRole('list', { name: 'Scheduled changes' }).getByRole('listitem').filter({ hasText: 'e2e: open wider on Monday' });
  await expect(item).toContainText('Rollout to 25 %Pending');
  await expect(item).toContainText('by editor@stagegate.dev');

  const views = [
    { theme: 'light', size: 'desktop', width: 1280 },
    { theme: 'dark', size: 'desktop', width: 1280 },
    { theme: 'light', size: 'phone', width: 375 },
  ] as const;
  for (const view of views) {
    await page.emulateMedia({ colorScheme: view.theme });
    await page.setViewportSize({ width: view.width, height: 900 });
    await expect(page.locator('html')).toHaveClass(view.theme === 'dark' ? /dark/ : /^(?!.*dark)/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(view.width);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${shots}pipeline-${view.theme}-${view.size}.png`, fullPage: true });
  }

  await item.getByRole('button', { name: /^Cancel: Rollout to 25 %/ }).click();
  await item.getByRole('button', { name: 'Yes, cancel it' }).click();
  await expect(page.getByText('Scheduled change cancelled')).toBeVisible();
  await expect(item).toContainText('Rollout to 25 %Cancelled');
  await expect(item.getByRole('button')).toHaveCount(0);
});

test('a viewer sees the plan and its controls disabled, with why; a step taken elsewhere shows without reload', async ({ page }) => {
  await signInAs(page, 'viewer');
  await page.goto(`/admin/flags/${FLAG}`);
  await page.getByRole('tab', { name: 'Pipeline' }).click();
  const steps = page.getByRole('list', { name: 'Plan steps' });
  await expect(steps.locator('[aria-current="step"]')).toContainText('0.1 %Current');
  for (const name of ['Pause', 'Skip to next step', 'Abort plan', 'Schedule change']) await expect(page.getByRole('button', { name })).toBeDisabled();
  // The wrapper takes focus from the keyboard and its tooltip says why. Radix closes a tooltip when the page scrolls,
  // so the controls are scrolled to first, and focus is given again until no late scroll event closes it.
  const gate = page.getByRole('button', { name: 'Pause' }).locator('..');
  await gate.scrollIntoViewIfNeeded();
  await expect(async () => {
    await gate.evaluate((element) => (element as HTMLElement).blur());
    await gate.focus();
    await expect(page.getByRole('tooltip')).toContainText('Your operator role is viewer', { timeout: 1000 });
  }).toPass({ timeout: 10_000 });

  await callApi('admin.plans.control', { key: FLAG, action: 'skip', reason: 'e2e: step 1 looked fine' }, TOKENS.editor);
  // Live (admin.events) within a second or two; the 15 s refetch of a running plan is the net under it.
  await expect(steps.locator('[aria-current="step"]')).toContainText('5 %Current', { timeout: 20_000 });
  await expect(steps.getByRole('listitem').first()).toContainText('0.1 %Done');
});

test('the guard trips on a failing new path: the open page shows the rollback, the kill and an alert without reload', async ({ page }) => {
  test.setTimeout(90_000);
  await signInAs(page, 'viewer');
  await page.goto(`/admin/flags/${FLAG}`);
  await page.getByRole('tab', { name: 'Pipeline' }).click();
  await expect(page.getByRole('list', { name: 'Plan steps' }).locator('[aria-current="step"]')).toContainText('5 %Current');

  // 20 % of the new path's calls fail this minute; legacy is clean. The scheduler looks every 5 s.
  await reportRouteCalls([{ enabled: 200, enabledErrors: 40, disabled: 800, disabledErrors: 0, fallbacks: 40 }]);
  const banner = page.getByRole('alert').filter({ hasText: 'Release plan: Tripped at step 2 of 5 (5 %): the flag was killed' });
  await expect(banner).toBeVisible({ timeout: 30_000 });
  // The step's window starts at the minute it began, so it may also hold the healthy calls of that minute: the rate is 20 % or a little less.
  await expect(banner).toContainText(/new path (20|1\d(\.\d+)?) % errors over [\d,]+ calls; legacy 0 % over [\d,]+; limit 1 %/);
  await expect(page.getByText('Rolled back', { exact: true })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Plan steps' }).locator('[aria-current="step"]')).toContainText('5 %Tripped here');
  await expect(page.getByRole('button', { name: 'Restore flag' })).toBeVisible();
  await expect(page.getByText(/^Off for everyone\./)).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(await axeViolations(page)).toEqual([]);
  await page.screenshot({ path: `${shots}pipeline-tripped-light-desktop.png`, fullPage: true });
});
