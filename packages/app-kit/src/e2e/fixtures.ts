import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

export { expect };

export const test = base.extend({
  // The server's port is only known once globalSetup has started it.
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
  baseURL: async ({}, use) => {
    await use(process.env.STAGEGATE_E2E_URL);
  },
});

/** One tRPC call over plain HTTP with a bearer token (a mutation unless `query`), as another client (an operator's script) makes it. */
export async function callApi(path: string, input: unknown, token: string, { query = false } = {}): Promise<unknown> {
  const url = `${process.env.STAGEGATE_E2E_URL}/trpc/${path}`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const response = query
    ? await fetch(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
    : await fetch(url, { method: 'POST', headers, body: JSON.stringify(input) });
  const body = (await response.json()) as { result?: { data?: unknown }; error?: unknown };
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(body.error)}`);
  return body.result?.data;
}

/** Signs this page's browser context in through the server's session route (the cookie, as the sign-in page gets it). */
export async function signInAs(page: Page, demoUser: string): Promise<void> {
  const baseURL = process.env.STAGEGATE_E2E_URL!;
  const response = await page.request.post(`${baseURL}/auth/session`, { data: { demoUser }, headers: { origin: baseURL } });
  expect(response.ok()).toBe(true);
}

/** axe on the whole page: every violation with its rule and the first offending node, for a readable failure. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes[0]?.target.join(' ')})`);
}
