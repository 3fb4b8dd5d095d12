import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { StageBadge, type BadgeStage } from './stage-badge.js';

const cases: Array<[BadgeStage, string, string, string]> = [
  ['lab', 'Experimental', '🧪', 'bg-purple-100'],
  ['alpha', 'Alpha', '🔷', 'bg-blue-100'],
  ['beta', 'Beta', '🟡', 'bg-amber-100'],
];

describe('StageBadge', () => {
  it.each(cases)('%s: says "%s" with %s in its colour, dark variant included', (stage, label, emoji, colour) => {
    render(<StageBadge stage={stage} />);
    const badge = screen.getByText(label);
    expect(badge).toHaveTextContent(`${emoji}${label}`);
    expect(badge).toHaveClass(colour, `dark:bg-${colour.split('-')[1]}-900`);
    // The emoji is decoration: a screen reader reads the label only.
    expect(badge.querySelector('[aria-hidden="true"]')).toHaveTextContent(emoji);
  });

  it.each([
    ['sm', 'text-xs'],
    ['md', 'text-sm'],
  ] as const)('size %s uses %s', (size, text) => {
    render(<StageBadge stage="beta" size={size} />);
    expect(screen.getByText('Beta')).toHaveClass(text);
  });

  it('leaves the emoji out when asked', () => {
    render(<StageBadge stage="alpha" showEmoji={false} />);
    expect(screen.getByText('Alpha')).toHaveTextContent(/^Alpha$/);
  });

  it('shows the spec’s tooltip when focused from the keyboard', async () => {
    render(<StageBadge stage="alpha" />);
    await userEvent.tab();
    expect(screen.getByText('Alpha')).toHaveFocus();
    expect(await screen.findByRole('tooltip')).toHaveTextContent('This feature is in alpha. Some things may change.');
  });
});
