import type { Page } from '@playwright/test';

export { axeViolations, callApi, expect, signInAs, test } from '@stagegate/app-kit/e2e';

/** The seed's demo bearer tokens, for setting state through the API as another operator's script would. */
export const TOKENS = { owner: 'dev-owner-token', editor: 'dev-editor-token' } as const;

export const flagCard = (page: Page, key: string) => page.locator(`li[data-flag="${key}"]`);
