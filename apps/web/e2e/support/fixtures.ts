import type { Page } from '@playwright/test';

export { axeViolations, callApi, expect, signInAs, test } from '@stagegate/app-kit/e2e';

/** The demo users' bearer tokens (the seed's DEMO_TOKENS): operators and admins act through the API here. */
export const TOKENS = { editor: 'dev-editor-token', admin: 'dev-admin-token', acmeAdmin: 'dev-acme-admin-token', acmeMember: 'dev-acme-member-token' } as const;

export const betaCard = (page: Page, name: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name, exact: true }) });
