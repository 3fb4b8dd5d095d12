import type { ComponentProps } from 'react';
import { cn } from './cn.js';

/** A placeholder block while content loads; hidden from assistive technology (the container says "loading"). */
export function Skeleton({ className, ...props }: ComponentProps<'div'>) {
  return <div aria-hidden="true" className={cn('animate-pulse rounded-md bg-muted', className)} {...props} />;
}
