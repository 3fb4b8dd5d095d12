import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { BulkBar, describeBulk } from './BulkBar.js';

describe('BulkBar', () => {
  it('moves the selected flags to a stage with one reason', async () => {
    const onApply = vi.fn();
    render(<BulkBar keys={['a', 'b']} pending={false} onApply={onApply} onClear={() => undefined} />);
    expect(screen.getByText('2 flags selected')).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Stage'), 'ga');
    await userEvent.click(screen.getByRole('button', { name: 'Apply to 2' }));
    expect(onApply).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Reason')).toHaveAttribute('aria-invalid', 'true');
    await userEvent.type(screen.getByLabelText('Reason'), 'Q4 release');
    await userEvent.click(screen.getByRole('button', { name: 'Apply to 2' }));
    expect(onApply).toHaveBeenCalledWith({ action: 'setStage', keys: ['a', 'b'], stage: 'ga', reason: 'Q4 release' });
  });

  it('archives without a stage', async () => {
    const onApply = vi.fn();
    render(<BulkBar keys={['a']} pending={false} onApply={onApply} onClear={() => undefined} />);
    await userEvent.selectOptions(screen.getByLabelText('Change'), 'archive');
    expect(screen.queryByLabelText('Stage')).not.toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Reason'), 'shipped');
    await userEvent.click(screen.getByRole('button', { name: 'Apply to 1' }));
    expect(onApply).toHaveBeenCalledWith({ action: 'archive', keys: ['a'], reason: 'shipped' });
  });

  it('the result toast counts done and refused, and says why each was refused', () => {
    expect(describeBulk({ done: ['a', 'b'], refused: [] })).toEqual({ title: '2 done, 0 refused' });
    expect(describeBulk({ done: ['a'], refused: [{ key: 'b', message: 'Flag "b" is already archived' }] })).toEqual({
      title: '1 done, 1 refused',
      description: 'b: Flag "b" is already archived',
    });
  });
});
