import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Badge } from './badge.js';
import { DiffView } from './diff-view.js';
import { Field, Input, Select, Textarea } from './field.js';
import { Slider } from './slider.js';
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from './table.js';
import { Tabs, TabsContent, TabsList, TabsTrigger } from './tabs.js';

describe('Field', () => {
  it('labels its control and announces the hint and the error with it', () => {
    render(
      <Field label="Name" hint="What operators see" error="Too long">
        <Input defaultValue="x" />
      </Field>,
    );
    const input = screen.getByLabelText('Name');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription('What operators see Too long');
  });

  it('a valid textarea or select is not marked invalid', () => {
    render(
      <>
        <Field label="Description">
          <Textarea />
        </Field>
        <Field label="Stage">
          <Select defaultValue="beta">
            <option value="beta">Beta</option>
          </Select>
        </Field>
      </>,
    );
    expect(screen.getByLabelText('Description')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByLabelText('Stage')).toHaveValue('beta');
  });
});

describe('Badge', () => {
  it('says its status in text and carries its tone', () => {
    render(<Badge tone="danger">Killed</Badge>);
    expect(screen.getByText('Killed')).toHaveAttribute('data-tone', 'danger');
  });
});

describe('Table', () => {
  it('is a table with a caption and column headers', () => {
    render(
      <Table>
        <TableCaption>Overrides</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>User</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          <TableRow>
            <TableCell>max@x.dev</TableCell>
          </TableRow>
        </TableBody>
      </Table>,
    );
    expect(screen.getByRole('table', { name: 'Overrides' })).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'User' })).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: 'max@x.dev' })).toBeInTheDocument();
  });
});

describe('Tabs', () => {
  it('arrow keys move between tabs and show their panel', async () => {
    render(
      <Tabs defaultValue="a">
        <TabsList aria-label="Sections">
          <TabsTrigger value="a">Rollout</TabsTrigger>
          <TabsTrigger value="b">Audit</TabsTrigger>
        </TabsList>
        <TabsContent value="a">rollout panel</TabsContent>
        <TabsContent value="b">audit panel</TabsContent>
      </Tabs>,
    );
    await userEvent.tab();
    expect(screen.getByRole('tab', { name: 'Rollout' })).toHaveFocus();
    await userEvent.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Audit' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('tabpanel')).toHaveTextContent('audit panel');
  });
});

describe('Slider', () => {
  it('is a named slider that the arrow keys step, with its value in words', async () => {
    const onChange = vi.fn();
    function Harness() {
      const [value, setValue] = useState(25);
      return (
        <Slider
          label="Rollout percentage"
          value={value}
          min={0}
          max={100}
          step={1}
          valueText={(v) => `${v} %`}
          onValueChange={(v) => {
            setValue(v);
            onChange(v);
          }}
        />
      );
    }
    render(<Harness />);
    const thumb = screen.getByRole('slider', { name: 'Rollout percentage' });
    expect(thumb).toHaveAttribute('aria-valuetext', '25 %');
    thumb.focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(onChange).toHaveBeenLastCalledWith(26);
    expect(thumb).toHaveAttribute('aria-valuenow', '26');
  });
});

describe('DiffView', () => {
  it('prints one `path: old → new` line per change, added and removed as ∅', () => {
    render(
      <DiffView
        changes={[
          { path: 'rolloutPercentage', before: 5, after: 25 },
          { path: 'kill.reason', before: undefined, after: 'error spike' },
        ]}
      />,
    );
    const lines = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(lines).toEqual(['rolloutPercentage: 5 → changed to 25', 'kill.reason: ∅ → changed to "error spike"']);
  });

  it('says so when nothing changed', () => {
    render(<DiffView changes={[]} />);
    expect(screen.getByText('No field changed.')).toBeInTheDocument();
  });
});
