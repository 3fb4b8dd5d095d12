import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from '@stagegate/ui/table';
import { AXIS, GRID, MARGIN, MUTED, PRIMARY, TOOLTIP } from '../lib/chartTheme.js';
import type { DayRow } from './analyticsSeries.js';

const short = (day: string) => day.slice(5);

/** Evaluations per day (on/off stacked) and opt-ins over time, each chart with its numbers in a table. Loaded on demand: recharts is big. */
export default function AnalyticsCharts({ rows, totals }: { rows: DayRow[]; totals: { enabled: number; disabled: number } }) {
  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="evaluations-chart" className="flex flex-col gap-2">
        <h3 id="evaluations-chart" className="font-semibold">
          Evaluations per day
        </h3>
        <div className="h-56 w-full" role="img" aria-label="Bar chart of evaluations per day, on and off; the same numbers are in the table below">
          <ResponsiveContainer>
            <BarChart data={rows} margin={MARGIN}>
              <CartesianGrid {...GRID} />
              <XAxis dataKey="day" tickFormatter={short} tick={AXIS} />
              <YAxis allowDecimals={false} tick={AXIS} />
              <Tooltip {...TOOLTIP} />
              <Legend />
              <Bar dataKey="on" name="On" stackId="e" fill={PRIMARY} />
              <Bar dataKey="off" name="Off" stackId="e" fill={MUTED} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </section>
      <section aria-labelledby="optins-chart" className="flex flex-col gap-2">
        <h3 id="optins-chart" className="font-semibold">
          Opt-ins over time
        </h3>
        <p className="text-sm text-muted-foreground">
          Now: {totals.enabled} opted in, {totals.disabled} opted out.
        </p>
        <div className="h-48 w-full" role="img" aria-label="Line chart of opt-ins and opt-outs per day; the same numbers are in the table below">
          <ResponsiveContainer>
            <LineChart data={rows} margin={MARGIN}>
              <CartesianGrid {...GRID} />
              <XAxis dataKey="day" tickFormatter={short} tick={AXIS} />
              <YAxis allowDecimals={false} tick={AXIS} />
              <Tooltip {...TOOLTIP} />
              <Legend />
              <Line dataKey="optIns" name="Opt-ins" stroke={PRIMARY} strokeWidth={2} dot={false} />
              <Line dataKey="optOuts" name="Opt-outs" stroke="var(--color-danger)" strokeWidth={2} strokeDasharray="4 3" dot={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </section>
      <Table>
        <TableCaption>Evaluations and opt-ins per day</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>Day (UTC)</TableHead>
            <TableHead className="text-right">Evaluations on</TableHead>
            <TableHead className="text-right">Evaluations off</TableHead>
            <TableHead className="text-right">Opt-ins</TableHead>
            <TableHead className="text-right">Opt-outs</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={row.day}>
              <TableCell>{row.day}</TableCell>
              <TableCell className="text-right tabular-nums">{row.on}</TableCell>
              <TableCell className="text-right tabular-nums">{row.off}</TableCell>
              <TableCell className="text-right tabular-nums">{row.optIns}</TableCell>
              <TableCell className="text-right tabular-nums">{row.optOuts}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
