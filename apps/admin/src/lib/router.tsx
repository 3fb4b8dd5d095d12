import { createRouter } from '@stagegate/app-kit/router';

/** The dashboard lives under /admin; each page starts at its top. */
export const { navigate, usePath, Link } = createRouter({ base: '/admin', scrollToTop: true });
