// Runs the example as a person would (its own process, server and database), at both failure rates, so it cannot rot.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('..', import.meta.url));

function runExample(failRate: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: dir, env: { ...process.env, FAIL_RATE: failRate, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('examples/guarded-rollout', () => {
  it('rolls back with the new pipeline failing 10 % of calls, and reaches 100 % failing 1 %', async () => {
    const [failing, healthy] = await Promise.all([runExample('0.10'), runExample('0.01')]);

    expect(failing.code, failing.output).toBe(0);
    expect(failing.output).toMatch(/tripped: Guard tripped at step 1 of 3 \(10 %\): enabled path [\d.]+ % errors over [\d,]+ calls > /);
    expect(failing.output).toContain('ROLLED BACK: the guard killed phoenix-pipeline-enabled');
    expect(failing.output).not.toContain('COMPLETED');

    expect(healthy.code, healthy.output).toBe(0);
    expect(healthy.output).toMatch(/step 2 of 3 \(50 %\) advanced/);
    expect(healthy.output).toContain('COMPLETED: phoenix-pipeline-enabled is at 100 %');
    expect(healthy.output).not.toContain('tripped');
  }, 180_000);
});
