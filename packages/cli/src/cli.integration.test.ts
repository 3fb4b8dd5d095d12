// The built `stagegate` bin as a person runs it: against a real API server over HTTP, and break-glass
// straight to a real database with no API running. stdout, stderr and exit codes are the contract.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate, openDatabase } from '@stagegate/db';
import { DEMO_TOKENS, seedDemo } from '@stagegate/db/demo';
import { startHarnessWithServer, type HarnessWithServer } from '@stagegate/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStagegate } from './testing.js';

let h: HarnessWithServer;
let scratch: string;
/** The bin with the demo editor's token unless told otherwise, against the test server. */
const stagegate = (args: string[], env: Record<string, string> = {}) => runStagegate(args, { STAGEGATE_URL: h.server.url, STAGEGATE_TOKEN: DEMO_TOKENS.editor, ...env });

beforeAll(async () => {
  h = await startHarnessWithServer();
  scratch = mkdtempSync(path.join(tmpdir(), 'stagegate-cli-'));
});
afterAll(async () => {
  await h.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('stagegate against the API', () => {
  it('lists flags as JSON when stdout is not a terminal, with nothing on stderr', async () => {
    const run = await stagegate(['flags', 'list']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const flags = JSON.parse(run.stdout) as Array<{ key: string }>;
    expect(flags.map((f) => f.key)).toContain('auto-tagging-v2');
  });

  it('moves a flag to beta and rolls it out to 25 %, saying how many known users that reaches', async () => {
    expect((await stagegate(['flags', 'stage', 'privacy-agent', 'beta', '--reason', 'ready'])).code).toBe(0);
    const run = await stagegate(['flags', 'rollout', 'privacy-agent', '25%', '--by', 'workspace']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^\d+ of 2 known workspaces are in at 25 %\n$/);
    expect(JSON.parse(run.stdout)).toMatchObject({ key: 'privacy-agent', stage: 'beta', rolloutPercentage: 25, bucketBy: 'workspace' });
  });

  it('kills with a reason and restores; the audit trail shows both', async () => {
    expect(JSON.parse((await stagegate(['flags', 'kill', 'auto-tagging-v2', '--reason', 'tags wrong meetings'])).stdout)).toMatchObject({ kill: { reason: 'tags wrong meetings', by: 'editor@stagegate.dev' } });
    expect((await stagegate(['flags', 'restore', 'auto-tagging-v2', '--reason', 'fixed in 2.3.1'])).code).toBe(0);
    const audit = JSON.parse((await stagegate(['audit', 'auto-tagging-v2', '--limit', '2'])).stdout) as Array<{ action: string; reason: string }>;
    expect(audit.map((e) => [e.action, e.reason])).toEqual([
      ['flag.restore', 'fixed in 2.3.1'],
      ['flag.kill', 'tags wrong meetings'],
    ]);
  });

  it('explains why a flag is off for a user: every rule, the deciding one marked', async () => {
    const run = await stagegate(['flags', 'why', 'internal-search', '--user', 'member@acme.dev']);
    const why = JSON.parse(run.stdout) as { resolution: { reason: string }; steps: Array<{ rule: string; decides: boolean }> };
    expect(why.resolution.reason).toBe('WORKSPACE_BLOCKED');
    expect(why.steps.find((s) => s.decides)?.rule).toBe('workspaceBlock');
  });

  it('sets and removes a user override with an expiry', async () => {
    const set = await stagegate(['users', 'override', 'member@stagegate.dev', 'process-agent', 'on', '--reason', 'design partner', '--expires', '2099-01-01']);
    expect(JSON.parse(set.stdout)).toMatchObject({ email: 'member@stagegate.dev', flagKey: 'process-agent', enabled: true, expiresAt: '2099-01-01T00:00:00.000Z' });
    expect((await stagegate(['users', 'override', 'member@stagegate.dev', 'process-agent', 'remove'])).code).toBe(0);
  });

  it('applies a YAML metadata file: a dry run prints the diff and changes nothing, then the run changes it', async () => {
    const file = path.join(scratch, 'flags.yaml');
    writeFileSync(file, 'flags:\n  - key: smart-summaries\n    category: summaries\n    owner: noxon@stagegate.dev\n  - key: internal-search\n    ttlDays: 30\n');
    const dry = await stagegate(['flags', 'annotate', file, '--dry-run'], { STAGEGATE_TOKEN: DEMO_TOKENS.editor });
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain('dry run: nothing was changed');
    expect(JSON.parse(dry.stdout).flags).toEqual([
      { key: 'smart-summaries', changes: [{ field: 'category', from: 'automation', to: 'summaries' }, { field: 'owner', from: 'palmer@stagegate.dev', to: 'noxon@stagegate.dev' }] },
      { key: 'internal-search', changes: [{ field: 'ttlDays', from: 60, to: 30 }] },
    ]);
    expect((await h.viewer.admin.flags.get({ key: 'smart-summaries' })).category).toBe('automation');
    const run = await stagegate(['flags', 'annotate', file]);
    expect(run).toMatchObject({ code: 0, stderr: '2 flags changed\n' });
    expect(await h.viewer.admin.flags.get({ key: 'internal-search' })).toMatchObject({ ttlDays: 30 });
  });

  it('refuses a file with a bad row before anything is sent (exit 2, naming the row)', async () => {
    const file = path.join(scratch, 'bad.json');
    writeFileSync(file, JSON.stringify([{ key: 'smart-summaries', owner: 'ops team' }]));
    const run = await stagegate(['flags', 'annotate', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: usage: FILE: flags\.0\.owner: /);
  });

  it('exits 1 with the API’s code and message when it refuses, 2 on a usage error, both on stderr only', async () => {
    const refused = await stagegate(['flags', 'kill', 'no-such-flag', '--reason', 'x']);
    expect(refused).toEqual({ code: 1, stdout: '', stderr: 'error: FLAG_NOT_FOUND: No flag "no-such-flag"\n' });
    const viewer = await stagegate(['flags', 'kill', 'smart-summaries', '--reason', 'x'], { STAGEGATE_TOKEN: DEMO_TOKENS.viewer });
    expect(viewer).toMatchObject({ code: 1, stdout: '' });
    expect(viewer.stderr).toMatch(/^error: FORBIDDEN: /);
    const usage = await stagegate(['flags', 'rollout', 'smart-summaries', 'lots']);
    expect(usage).toEqual({ code: 2, stdout: '', stderr: 'error: usage: PCT: "lots" is not a percentage from 0 to 100\n' });
    const missing = await stagegate(['flags', 'kill', 'smart-summaries']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--reason <text>' not specified");
    expect((await stagegate(['flags', 'list'], { STAGEGATE_TOKEN: '' })).stderr).toContain('--token (or STAGEGATE_TOKEN) is required');
  });

  it('says the API is unreachable (exit 1) and points at break-glass', async () => {
    const run = await stagegate(['status', '--url', 'http://127.0.0.1:9']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: UNREACHABLE: cannot reach the API at http:\/\/127\.0\.0\.1:9 .*--database-url/);
  });

  it('creates a service token, printed once on stdout', async () => {
    const run = await stagegate(['tokens', 'create', 'ci service', '--kind', 'service'], { STAGEGATE_TOKEN: DEMO_TOKENS.owner });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).token).toMatch(/^sg_svc_/);
    expect(run.stderr).toContain('shown this once');
  });
});

describe('break-glass (no API running)', () => {
  it('kills through the domain code in an embedded database folder: validated, versioned, audited as break-glass', async () => {
    const dir = path.join(scratch, 'pglite');
    const db = await openDatabase({ url: undefined, dataDir: dir });
    await migrate(db);
    await seedDemo(db, { env: {} });
    await db.close();

    const refused = await stagegate(['flags', 'kill', 'smart-summaries', '--reason', '   ', '--pglite-dir', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/VALIDATION_FAILED: reason/);

    const run = await stagegate(['flags', 'kill', 'smart-summaries', '--reason', 'API down, summaries leaking', '--pglite-dir', dir], { STAGEGATE_TOKEN: '' });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^break-glass: writing to the database directly as break-glass:/);
    expect(JSON.parse(run.stdout)).toMatchObject({ key: 'smart-summaries', version: 2, kill: { reason: 'API down, summaries leaking', by: expect.stringMatching(/^break-glass:/) } });

    const after = await openDatabase({ url: undefined, dataDir: dir });
    try {
      const [entry] = await after.prisma.auditEntry.findMany({ orderBy: { id: 'desc' }, take: 1 });
      expect(entry).toMatchObject({ action: 'flag.kill', flagKey: 'smart-summaries', actor: expect.stringMatching(/^break-glass:/), reason: 'API down, summaries leaking' });
    } finally {
      await after.close();
    }
  });
});
