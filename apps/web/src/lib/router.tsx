import { createRouter } from '@stagegate/app-kit/router';

/** The web app is served at `/`; `#<key>` stays free for deep links to cards. */
export const { navigate, usePath, Link } = createRouter();
