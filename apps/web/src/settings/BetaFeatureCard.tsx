import { Card } from '@stagegate/ui/card';
import { cn } from '@stagegate/ui/cn';
import { Switch } from '@stagegate/ui/switch';
import { ExternalLink, Link2 } from 'lucide-react';
import type { BetaFeature } from '../lib/trpc.js';
import { DiscoverableBadge } from '../shell/DiscoverableBadge.js';

/** Why the switch shows what it shows, when it is not simply the user's own choice. */
function reasonNote(feature: BetaFeature): string | undefined {
  if (feature.reason === 'WORKSPACE_OPT_IN') return 'On for everyone in your workspace. You can still turn it off for yourself.';
  if (feature.reason === 'USER_OVERRIDE') return `An administrator turned this ${feature.enabled ? 'on' : 'off'} for you.`;
  return undefined;
}

export interface BetaFeatureCardProps {
  feature: BetaFeature;
  onToggle: (enabled: boolean) => void;
  /** A toggle of this feature is on its way to the server. */
  pending?: boolean;
  /** Reached through its deep link (#key): scrolled to and outlined for a moment. */
  highlighted?: boolean;
}

export function BetaFeatureCard({ feature, onToggle, pending = false, highlighted = false }: BetaFeatureCardProps) {
  const nameId = `${feature.key}-name`;
  const descriptionId = `${feature.key}-description`;
  const note = reasonNote(feature);
  return (
    <Card
      id={feature.key}
      tabIndex={-1}
      data-highlighted={highlighted || undefined}
      className={cn('scroll-mt-24 p-4 transition-shadow outline-none', highlighted && 'bg-highlight ring-2 ring-primary')}
    >
      <div className="flex items-start justify-between gap-4">
        <div className="flex min-w-0 flex-col gap-1.5">
          <div className="flex flex-wrap items-center gap-2">
            <h2 id={nameId} className="font-semibold">
              {feature.name}
            </h2>
            <DiscoverableBadge flagKey={feature.key} stage={feature.stage} location="settings" />
          </div>
          <p id={descriptionId} className="text-sm text-muted-foreground">
            {feature.description}
          </p>
          {note && <p className="text-sm">{note}</p>}
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
            <span>
              Category: <span className="font-medium text-foreground">{feature.category}</span>
            </span>
            {feature.kbArticle && (
              <a
                href={feature.kbArticle}
                target="_blank"
                rel="noreferrer"
                aria-label={`Learn more about ${feature.name} (opens in a new tab)`}
                className="inline-flex items-center gap-1 font-medium text-primary underline-offset-4 hover:underline"
              >
                Learn more
                <ExternalLink aria-hidden="true" className="size-3" />
              </a>
            )}
            <a href={`#${feature.key}`} className="inline-flex items-center gap-1 hover:text-foreground">
              <Link2 aria-hidden="true" className="size-3" />
              <span className="sr-only">Link to {feature.name}</span>
              <span aria-hidden="true">#{feature.key}</span>
            </a>
          </div>
        </div>
        <div className="flex shrink-0 flex-col items-center gap-1 pt-0.5">
          <Switch
            checked={feature.enabled}
            onCheckedChange={onToggle}
            aria-labelledby={nameId}
            aria-describedby={descriptionId}
            aria-busy={pending || undefined}
          />
          <span aria-hidden="true" className="text-xs font-medium text-muted-foreground">
            {pending ? 'Saving…' : feature.enabled ? 'On' : 'Off'}
          </span>
        </div>
      </div>
    </Card>
  );
}
