import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { KillDialog, type KillMode } from './KillDialog.js';

function open(flag: { stage: 'beta' | 'ga'; rolloutPercentage: number }, mode: KillMode = 'kill', error?: string) {
  const onConfirm = vi.fn();
  render(
    <KillDialog flag={{ key: 'auto-tagging-v2', name: 'Auto-Tagging V2', ...flag }} mode={mode} open onOpenChange={() => undefined} pending={false} error={error} onConfirm={onConfirm} />,
  );
  return onConfirm;
}

describe('KillDialog', () => {
  it('names the flag and what a kill does, and refuses without a reason', async () => {
    const onConfirm = open({ stage: 'beta', rolloutPercentage: 25 });
    const dialog = screen.getByRole('dialog', { name: 'Kill Auto-Tagging V2?' });
    expect(dialog).toHaveAccessibleDescription(/Turns auto-tagging-v2 off for everyone at once/);
    await userEvent.click(screen.getByRole('button', { name: 'Kill auto-tagging-v2' }));
    expect(onConfirm).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Reason')).toHaveAccessibleDescription(/Say why/);
    // Below 50 % and not GA: no key to type.
    expect(screen.queryByLabelText(/Type the flag's key/)).not.toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Reason'), '  error spike ');
    await userEvent.click(screen.getByRole('button', { name: 'Kill auto-tagging-v2' }));
    expect(onConfirm).toHaveBeenCalledWith('error spike');
  });

  it.each([
    ['at 50 %', { stage: 'beta' as const, rolloutPercentage: 50 }],
    ['GA', { stage: 'ga' as const, rolloutPercentage: 0 }],
  ])('%s: asks for the key typed exactly', async (_, flag) => {
    const onConfirm = open(flag);
    await userEvent.type(screen.getByLabelText('Reason'), 'error spike');
    await userEvent.type(screen.getByLabelText(/Type the flag's key/), 'auto-tagging');
    await userEvent.click(screen.getByRole('button', { name: 'Kill auto-tagging-v2' }));
    expect(onConfirm).not.toHaveBeenCalled();
    expect(screen.getByText('Type auto-tagging-v2 exactly to confirm')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(/Type the flag's key/), '-v2');
    await userEvent.click(screen.getByRole('button', { name: 'Kill auto-tagging-v2' }));
    expect(onConfirm).toHaveBeenCalledWith('error spike');
  });

  it('restore asks the same, and shows a refusal from the server inside the dialog', async () => {
    const onConfirm = open({ stage: 'ga', rolloutPercentage: 100 }, 'restore', 'This flag was changed by someone else — reload to see their change, then try again.');
    expect(screen.getByRole('dialog', { name: 'Restore Auto-Tagging V2?' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('changed by someone else — reload');
    await userEvent.type(screen.getByLabelText('Reason'), 'fixed in 1.42.1');
    await userEvent.type(screen.getByLabelText(/Type the flag's key/), 'auto-tagging-v2');
    await userEvent.click(screen.getByRole('button', { name: 'Restore auto-tagging-v2' }));
    expect(onConfirm).toHaveBeenCalledWith('fixed in 1.42.1');
  });
});
