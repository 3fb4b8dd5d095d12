// One look for every recharts chart: theme tokens, so charts follow light and dark like everything
// else. Axis labels are filled, not stroked (stroked text reads bold and blurry).
export const AXIS = { fill: 'var(--color-muted-foreground)', fontSize: 12 };
export const TOOLTIP = { contentStyle: { background: 'var(--color-surface)', borderColor: 'var(--color-border)', color: 'var(--color-foreground)' } };
export const GRID = { stroke: 'var(--color-border)', vertical: false } as const;
export const MARGIN = { top: 8, right: 8, bottom: 0, left: -16 };
export const PRIMARY = 'var(--color-primary)';
export const MUTED = 'var(--color-muted-foreground)';
