import { Field, Input, Select } from '@stagegate/ui/field';
import { STAGE_LABELS, STAGE_ORDER } from '../lib/format.js';
import type { Stage } from '../lib/trpc.js';
import type { BoardFilters as Filters } from './boardModel.js';

export interface BoardFiltersProps {
  filters: Filters;
  onChange(filters: Filters): void;
  categories: readonly string[];
  owners: readonly string[];
}

export function BoardFilters({ filters, onChange, categories, owners }: BoardFiltersProps) {
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  return (
    <div role="search" aria-label="Filter flags" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
      <Field label="Search">
        <Input type="search" placeholder="Key, name or description" value={filters.search} onChange={(event) => set({ search: event.target.value })} />
      </Field>
      <Field label="Category">
        <Select value={filters.category} onChange={(event) => set({ category: event.target.value })}>
          <option value="">All categories</option>
          {categories.map((category) => (
            <option key={category}>{category}</option>
          ))}
        </Select>
      </Field>
      <Field label="Owner">
        <Select value={filters.owner} onChange={(event) => set({ owner: event.target.value })}>
          <option value="">All owners</option>
          {owners.map((owner) => (
            <option key={owner}>{owner}</option>
          ))}
        </Select>
      </Field>
      <Field label="Stage">
        <Select value={filters.stage} onChange={(event) => set({ stage: event.target.value as Stage | '' })}>
          <option value="">All stages</option>
          {STAGE_ORDER.map((stage) => (
            <option key={stage} value={stage}>
              {STAGE_LABELS[stage]}
            </option>
          ))}
        </Select>
      </Field>
    </div>
  );
}
