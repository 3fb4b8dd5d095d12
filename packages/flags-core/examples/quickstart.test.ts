import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './quickstart.js';

describe('examples/quickstart', () => {
  it('evaluates with reasons, falls back from a failing Phoenix path, and reports stats', async () => {
    const lines: string[] = [];
    const stats = await main((line) => lines.push(line));
    const output = lines.join('\n');

    expect(output).toMatch(/alice +auto-tagging-v2 +on +OPT_IN/);
    expect(output).toMatch(/bob +bulk-export-v2 +off +KILLED/);
    expect(output).toMatch(/\(in the rollout, Phoenix down\) +ingested by legacy/);
    expect(stats.routes['phoenix-pipeline-enabled']).toEqual({ enabled: { calls: 2, errors: 1 }, disabled: { calls: 2, errors: 0 }, fallbacks: 1 });
    expect(stats.sourceErrors).toBe(0);
  });

  it('runs as `pnpm demo` does and exits by itself', async () => {
    const packageDir = fileURLToPath(new URL('..', import.meta.url));
    const started = Date.now();
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', 'examples/quickstart.ts'], { cwd: packageDir, timeout: 15_000 }, (error, out) =>
        error ? reject(error) : resolve(out),
      ),
    );
    expect(stdout).toContain('fallbacks to legacy');
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);
});
