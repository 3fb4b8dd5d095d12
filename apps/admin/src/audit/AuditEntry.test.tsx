import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AuditEntry } from './AuditEntry.js';

describe('AuditEntry', () => {
  it('names the action, actor and reason, and renders the field diff as path: old → new', () => {
    render(
      <ul>
        <AuditEntry
          showFlag
          entry={{
            id: 7,
            at: '2026-12-01T10:00:00.000Z',
            actor: 'editor@stagegate.dev',
            action: 'flag.set_rollout',
            flagKey: 'internal-search',
            before: { rolloutPercentage: 5, version: 2 },
            after: { rolloutPercentage: 25, version: 3 },
            reason: 'ADR-074 step 3',
          }}
        />
      </ul>,
    );
    const entry = screen.getAllByRole('listitem')[0]!;
    expect(entry).toHaveTextContent('Changed rollout');
    expect(entry).toHaveTextContent('by editor@stagegate.dev');
    expect(entry).toHaveTextContent('Reason: ADR-074 step 3');
    expect(screen.getByRole('link', { name: 'internal-search' })).toHaveAttribute('href', '/admin/flags/internal-search');
    expect(screen.getByText('rolloutPercentage').closest('li')).toHaveTextContent('rolloutPercentage: 5 → changed to 25');
    expect(screen.getByText('version').closest('li')).toHaveTextContent('version: 2 → changed to 3');
  });
});
