import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../lib/trpc.js';
import { WhyResult } from './WhyResult.js';

const explanation: Explanation = {
  resolution: { key: 'internal-search', enabled: true, reason: 'ROLLOUT', stage: 'beta' },
  user: { id: 'u1', email: 'member@stagegate.dev' },
  workspace: { id: 'w1', slug: 'demo', name: 'Demo Workspace' },
  steps: [
    { rule: 'kill', applies: false, decides: false, detail: 'not killed' },
    { rule: 'context', applies: false, decides: false, detail: 'user and workspace ids present' },
    { rule: 'userOverride', applies: false, decides: false, detail: 'override on (qa), expired 2026-11-01T00:00:00.000Z' },
    { rule: 'adminOverride', applies: false, decides: false, detail: 'none' },
    { rule: 'lab', applies: false, decides: false, detail: 'stage beta' },
    { rule: 'workspaceBlock', applies: false, decides: false, detail: 'not blocked by the workspace' },
    { rule: 'optIn', applies: false, decides: false, detail: 'no choice made' },
    { rule: 'workspaceOptIn', applies: false, decides: false, detail: 'not switched on by the workspace' },
    { rule: 'rollout', applies: true, decides: true, detail: 'user bucket 12.3456 % vs rollout 25 %: in', bucket: 12.3456, percentage: 25 },
    { rule: 'global', applies: true, decides: false, detail: 'globally off' },
  ],
};

describe('WhyResult', () => {
  it('states the resolution, then lists every rule in order with its outcome in words', () => {
    render(<WhyResult explanation={explanation} />);
    expect(screen.getByRole('status')).toHaveTextContent('For member@stagegate.dev in Demo Workspace, internal-search is ON (reason ROLLOUT).');
    const rules = within(screen.getByRole('list', { name: 'Rules in the order they are read' })).getAllByRole('listitem');
    expect(rules.map((li) => li.getAttribute('data-rule'))).toEqual(['kill', 'context', 'userOverride', 'adminOverride', 'lab', 'workspaceBlock', 'optIn', 'workspaceOptIn', 'rollout', 'global']);
    expect(rules[0]).toHaveTextContent('1.Kill switchDoes not applynot killed');
    expect(rules[2]).toHaveTextContent('expired 2026-11-01');
    expect(rules[8]).toHaveTextContent('Rollout bucketDecidesuser bucket 12.3456 % vs rollout 25 %: in');
    // Global applies too, but the rollout came first.
    expect(rules[9]).toHaveTextContent('Global defaultApplies, not reached');
  });

  it('an OFF answer from the kill switch', () => {
    const killed: Explanation = {
      ...explanation,
      resolution: { ...explanation.resolution, enabled: false, reason: 'KILLED' },
      steps: explanation.steps.map((s) => (s.rule === 'kill' ? { ...s, applies: true, decides: true, detail: 'killed by editor@stagegate.dev on 2026-12-01: error spike' } : { ...s, decides: false })),
    };
    render(<WhyResult explanation={killed} />);
    expect(screen.getByRole('status')).toHaveTextContent('is OFF (reason KILLED)');
    expect(screen.getAllByRole('listitem')[0]).toHaveAttribute('data-outcome', 'decides');
  });
});
