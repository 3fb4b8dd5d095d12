import { EmptyState } from '@stagegate/ui/empty-state';
import { ErrorState } from '@stagegate/ui/error-state';
import { FlaskConical } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { errorMessage } from '../lib/errors.js';
import { trpc } from '../lib/trpc.js';
import { BetaFeatureCard } from './BetaFeatureCard.js';
import { BetaFeaturesSkeleton } from './BetaFeaturesSkeleton.js';
import { useBetaFeatures } from './useBetaFeatures.js';
import { useDeepLink } from './useDeepLink.js';

function SettingsHeader() {
  return (
    <header>
      <h1 className="text-2xl font-semibold">Beta Features</h1>
      <p className="mt-1 text-muted-foreground">Try new features before they're released to everyone. Beta features may change or be removed.</p>
    </header>
  );
}

/** beta_features_viewed once per visit to the page (not again on refetches). */
function useTrackViewed(loaded: boolean) {
  const { mutate } = trpc.betaFeatures.trackViewed.useMutation();
  const sent = useRef(false);
  useEffect(() => {
    if (!loaded || sent.current) return;
    sent.current = true;
    mutate(undefined);
  }, [loaded, mutate]);
}

/** Settings → Beta Features, as the spec lays it out. */
export function BetaFeaturesPage() {
  const { features, isLoading, error, isRefetching, refetch, toggleFeature, pendingKeys } = useBetaFeatures();
  const loaded = !isLoading && !error;
  useTrackViewed(loaded);
  const highlighted = useDeepLink(loaded && features.length > 0);

  let body;
  if (isLoading) body = <BetaFeaturesSkeleton />;
  else if (error) body = <ErrorState title="Beta features couldn't be loaded" description={errorMessage(error)} onRetry={() => void refetch()} retrying={isRefetching} />;
  else if (features.length === 0) body = <EmptyState icon={<FlaskConical />} title="No beta features available" description="Check back soon for new features to try!" />;
  else {
    body = (
      <ul aria-label="Beta features" className="flex flex-col gap-3">
        {features.map((feature) => (
          <li key={feature.key}>
            <BetaFeatureCard
              feature={feature}
              onToggle={(enabled) => toggleFeature(feature, enabled)}
              pending={pendingKeys.has(feature.key)}
              highlighted={highlighted === feature.key}
            />
          </li>
        ))}
      </ul>
    );
  }
  return (
    <section className="flex flex-col gap-6">
      <SettingsHeader />
      {body}
    </section>
  );
}
