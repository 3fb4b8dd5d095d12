import { Card } from '@stagegate/ui/card';
import { Skeleton } from '@stagegate/ui/skeleton';

export function BetaFeaturesSkeleton() {
  return (
    <div role="status" aria-label="Loading beta features" className="flex flex-col gap-3">
      {[0, 1, 2].map((i) => (
        <Card key={i} className="flex items-start justify-between gap-4 p-4">
          <div className="flex flex-1 flex-col gap-2">
            <Skeleton className="h-5 w-40" />
            <Skeleton className="h-4 w-full max-w-md" />
            <Skeleton className="h-3 w-28" />
          </div>
          <Skeleton className="h-6 w-11 rounded-full" />
        </Card>
      ))}
    </div>
  );
}
