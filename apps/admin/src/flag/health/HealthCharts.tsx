import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS, GRID, MARGIN, MUTED, PRIMARY, TOOLTIP } from '../../lib/chartTheme.js';
import { PATH_LABELS, type HealthRow } from './healthModel.js';

type RateKey = 'enabledErrorPct' | 'disabledErrorPct';
/** A dot only where a rate stands alone (no neighbour to draw a line to), so a single bucket with calls still shows. */
const loneDot = (rows: HealthRow[], key: RateKey, color: string) =>
  function LoneDot({ cx, cy, index }: { cx?: number | undefined; cy?: number | undefined; index?: number | undefined }) {
    const i = index ?? 0;
    const alone = rows[i]?.[key] != null && rows[i - 1]?.[key] == null && rows[i + 1]?.[key] == null;
    return alone && cx !== undefined && cy !== undefined ? <circle key={i} cx={cx} cy={cy} r={3} fill={color} /> : <g key={i} />;
  };

// The two paths differ by dash, not colour alone.
const NEW = PRIMARY;
const LEGACY = MUTED;
// Amber reads on both themes; the bars have their own chart, so colour is not what tells them apart.
const FALLBACK = '#d97706';

/** Calls per path (stacked), error rate per path with the guard's threshold, and fallbacks over time. Loaded on demand: recharts is big. */
export default function HealthCharts({ rows, maxErrorPct }: { rows: HealthRow[]; maxErrorPct?: number | undefined }) {
  return (
    <div className="grid gap-6 xl:grid-cols-2">
      <figure className="flex flex-col gap-2 xl:col-span-2">
        <figcaption className="text-sm font-semibold">Calls per path</figcaption>
        <div className="h-48 w-full overflow-hidden" role="img" aria-label="Stacked area chart of route() calls per path over time; the numbers are in the table below">
          <ResponsiveContainer>
            <AreaChart data={rows} margin={MARGIN}>
              <CartesianGrid {...GRID} />
              <XAxis dataKey="label" tick={AXIS} minTickGap={24} />
              <YAxis allowDecimals={false} tick={AXIS} />
              <Tooltip {...TOOLTIP} />
              <Legend />
              <Area dataKey="enabledCalls" name={PATH_LABELS.enabled} stackId="calls" stroke={NEW} fill={NEW} fillOpacity={0.35} isAnimationActive={false} />
              <Area dataKey="disabledCalls" name={PATH_LABELS.disabled} stackId="calls" stroke={LEGACY} strokeDasharray="4 3" fill={LEGACY} fillOpacity={0.2} isAnimationActive={false} />
            </AreaChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <figure className="flex flex-col gap-2">
        <figcaption className="text-sm font-semibold">Error rate per path (%)</figcaption>
        <div className="h-44 w-full overflow-hidden" role="img" aria-label="Line chart of each path's error rate over time; the numbers are in the table below">
          <ResponsiveContainer>
            <LineChart data={rows} margin={MARGIN}>
              <CartesianGrid {...GRID} />
              <XAxis dataKey="label" tick={AXIS} minTickGap={24} />
              <YAxis tick={AXIS} unit="%" />
              <Tooltip {...TOOLTIP} formatter={(value) => `${String(value)} %`} />
              <Legend />
              {maxErrorPct !== undefined && <ReferenceLine y={maxErrorPct} stroke="var(--color-danger)" strokeDasharray="2 2" label={{ value: `guard ${maxErrorPct} %`, fill: 'var(--color-danger)', fontSize: 11, position: 'insideTopRight' }} />}
              <Line dataKey="enabledErrorPct" name={PATH_LABELS.enabled} stroke={NEW} strokeWidth={2} dot={loneDot(rows, 'enabledErrorPct', NEW)} connectNulls={false} isAnimationActive={false} />
              <Line dataKey="disabledErrorPct" name={PATH_LABELS.disabled} stroke={LEGACY} strokeWidth={2} strokeDasharray="4 3" dot={loneDot(rows, 'disabledErrorPct', LEGACY)} connectNulls={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <figure className="flex flex-col gap-2">
        <figcaption className="text-sm font-semibold">Fallbacks to legacy</figcaption>
        <div className="h-44 w-full overflow-hidden" role="img" aria-label="Bar chart of fallbacks from the new path to the legacy path over time; the numbers are in the table below">
          <ResponsiveContainer>
            <BarChart data={rows} margin={MARGIN}>
              <CartesianGrid {...GRID} />
              <XAxis dataKey="label" tick={AXIS} minTickGap={24} />
              <YAxis allowDecimals={false} tick={AXIS} />
              <Tooltip {...TOOLTIP} />
              <Bar dataKey="fallbacks" name="Fallbacks" fill={FALLBACK} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </figure>
    </div>
  );
}
