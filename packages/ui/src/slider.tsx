import { Slider as SliderPrimitive } from 'radix-ui';
import type { ComponentProps } from 'react';
import { cn } from './cn.js';

export interface SliderProps extends Omit<ComponentProps<typeof SliderPrimitive.Root>, 'value' | 'defaultValue' | 'onValueChange'> {
  value: number;
  onValueChange(value: number): void;
  /** The accessible name of the thumb (what a screen reader announces with the value). */
  label: string;
  /** How the value is read out, e.g. "25 %". */
  valueText?: (value: number) => string;
}

/** One thumb; arrow keys step, Page Up/Down jump, Home/End go to the ends. */
export function Slider({ value, onValueChange, label, valueText, className, ...props }: SliderProps) {
  return (
    <SliderPrimitive.Root
      className={cn('relative flex h-5 w-full touch-none items-center select-none data-[disabled]:opacity-50', className)}
      value={[value]}
      onValueChange={([next]) => next !== undefined && onValueChange(next)}
      {...props}
    >
      <SliderPrimitive.Track className="relative h-1.5 grow overflow-hidden rounded-full bg-muted-foreground/30">
        <SliderPrimitive.Range className="absolute h-full bg-primary" />
      </SliderPrimitive.Track>
      <SliderPrimitive.Thumb
        aria-label={label}
        aria-valuetext={valueText?.(value)}
        className="block size-5 rounded-full border-2 border-primary bg-surface shadow-sm data-[disabled]:cursor-not-allowed"
      />
    </SliderPrimitive.Root>
  );
}
