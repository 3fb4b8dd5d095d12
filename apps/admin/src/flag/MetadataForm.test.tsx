import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it, vi } from 'vitest';
import { adminFlag } from '../testing/flags.js';
import { asOperator } from '../testing/operator.js';
import { MetadataForm } from './MetadataForm.js';

const flag = adminFlag({ key: 'internal-search', name: 'Internal Search', version: 4 });

describe('MetadataForm', () => {
  it('sends only the changed fields with the version it started from', async () => {
    const onSave = vi.fn();
    render(asOperator(<MetadataForm flag={flag} pending={false} error={null} onSave={onSave} />));
    expect(screen.getByRole('button', { name: 'Save details' })).toBeDisabled();
    await userEvent.clear(screen.getByLabelText('Category'));
    await userEvent.type(screen.getByLabelText('Category'), 'search');
    await userEvent.clear(screen.getByLabelText('TTL (days in this stage)'));
    await userEvent.type(screen.getByLabelText('TTL (days in this stage)'), '45');
    await userEvent.click(screen.getByRole('button', { name: 'Save details' }));
    expect(onSave).toHaveBeenCalledWith({ key: 'internal-search', expectedVersion: 4, category: 'search', ttlDays: 45 });
  });

  it.each([
    ['Owner (email)', 'not-an-email', /email/i],
    ['TTL (days in this stage)', '0', /greater than|>0|too small/i],
    ['KB article (URL)', 'ftp://kb', /url|invalid/i],
    ['Name', '', /at least 1|too small/i],
  ])('%s "%s": the contract schema refuses it inline and nothing is sent', async (label, value, message) => {
    const onSave = vi.fn();
    render(asOperator(<MetadataForm flag={flag} pending={false} error={null} onSave={onSave} />));
    const input = screen.getByLabelText(label);
    await userEvent.clear(input);
    if (value) await userEvent.type(input, value);
    else await userEvent.type(screen.getByLabelText('Category'), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Save details' }));
    expect(onSave).not.toHaveBeenCalled();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(message);
  });

  it('a stale save: "changed by someone else — reload", and Reload takes the newer version', async () => {
    const onSave = vi.fn();
    const stale = TRPCClientError.from({ error: { code: -32603, message: 'Flag "internal-search" is at version 5, not 4: someone changed it meanwhile; reload and retry', data: { code: 'CONFLICT', httpStatus: 409 } } });
    const { rerender } = render(asOperator(<MetadataForm flag={flag} pending={false} error={null} onSave={onSave} />));
    await userEvent.type(screen.getByLabelText('Category'), '-x');
    rerender(asOperator(<MetadataForm flag={{ ...flag, category: 'theirs', version: 5 }} pending={false} error={stale} onSave={onSave} />));
    expect(screen.getByRole('alert')).toHaveTextContent('Changed by someone else — reload');
    expect(screen.getByRole('button', { name: 'Save details' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(screen.getByLabelText('Category')).toHaveValue('theirs');
  });

  it('a viewer sees the form with saving disabled and told why', async () => {
    render(asOperator(<MetadataForm flag={flag} pending={false} error={null} onSave={() => undefined} />, 'viewer'));
    expect(screen.getByRole('button', { name: 'Save details' })).toBeDisabled();
    expect(screen.getByText(/Your operator role is viewer/)).toBeInTheDocument();
  });
});
