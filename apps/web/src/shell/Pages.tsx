import { usePath } from '../lib/router.js';
import { HomePage } from '../pages/HomePage.js';
import { NotFoundPage } from '../pages/NotFoundPage.js';
import { SearchPage } from '../pages/SearchPage.js';
import { BetaFeaturesPage } from '../settings/BetaFeaturesPage.js';
import { SettingsLayout } from '../settings/SettingsLayout.js';
import { WorkspaceBetasPage } from '../settings/WorkspaceBetasPage.js';

export function Pages() {
  const path = usePath();
  if (path === '/') return <HomePage />;
  if (path === '/search') return <SearchPage />;
  if (path === '/settings' || path === '/settings/beta-features') {
    return (
      <SettingsLayout>
        <BetaFeaturesPage />
      </SettingsLayout>
    );
  }
  if (path === '/settings/workspace-betas') {
    return (
      <SettingsLayout>
        <WorkspaceBetasPage />
      </SettingsLayout>
    );
  }
  return <NotFoundPage />;
}
