import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parser } from '@prometheus-io/lezer-promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scrape } from './testing/prometheus.js';
import { startHarnessWithServer, type HarnessWithServer } from './testing/server.js';

const RULES_PATH = fileURLToPath(new URL('../../../deploy/prometheus/alerts.yml', import.meta.url));
/** promtool's unit tests of the rules: series in, alerts expected out. */
const RULE_TESTS_PATH = fileURLToPath(new URL('../../../deploy/prometheus/alerts.test.yml', import.meta.url));
const TOKEN = 'alerts-test-token-0123456789';
/** Series Prometheus itself writes for every target: not ours to expose. */
const SYNTHETIC = new Set(['up', 'scrape_duration_seconds']);
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

interface Rule {
  alert?: unknown;
  expr?: unknown;
  for?: unknown;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

const rules = parse(readFileSync(RULES_PATH, 'utf8')) as { groups?: Array<{ name?: unknown; rules?: Rule[] }> };
const alerts = (rules.groups ?? []).flatMap((group) => group.rules ?? []);

/** The PromQL parse tree's metric names, or the text of every error node. */
function readExpr(expr: string): { errors: string[]; metrics: string[] } {
  const errors: string[] = [];
  const metrics: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors.push(`error at ${node.from}: "${expr.slice(Math.max(0, node.from - 20), node.to + 20)}"`);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') metrics.push(expr.slice(node.from, node.to));
    },
  });
  return { errors, metrics };
}

let h: HarnessWithServer;
beforeAll(async () => {
  h = await startHarnessWithServer({ app: { metricsToken: TOKEN } });
});
afterAll(async () => {
  await h.close();
});

describe('deploy/prometheus/alerts.yml', () => {
  it('is rule groups of alerts, each with an expression, a for:, a severity and a summary and description', () => {
    expect(rules.groups?.length).toBeGreaterThan(0);
    const names = new Set<string>();
    for (const group of rules.groups ?? []) {
      expect(typeof group.name).toBe('string');
      expect(group.rules?.length).toBeGreaterThan(0);
      for (const rule of group.rules ?? []) {
        expect(Object.keys(rule).sort()).toEqual(['alert', 'annotations', 'expr', 'for', 'labels']);
        expect(rule.alert).toMatch(/^Stagegate[A-Za-z]+$/);
        expect(names.has(rule.alert as string), `${String(rule.alert)} is defined twice`).toBe(false);
        names.add(rule.alert as string);
        expect(rule.for).toMatch(DURATION);
        expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
        expect(typeof rule.annotations?.summary).toBe('string');
        expect(typeof rule.annotations?.description).toBe('string');
      }
    }
    // ADR-074's alerts, at least.
    for (const required of ['StagegateNewPathErrorRateHigh', 'StagegateDown', 'StagegateUnusualKillActivity', 'StagegateCacheMissRateHigh']) expect(names).toContain(required);
  });

  it.each(alerts.map((rule) => [String(rule.alert), String(rule.expr)]))('%s parses as PromQL', (_alert, expr) => {
    const { errors, metrics } = readExpr(expr);
    expect(errors).toEqual([]);
    expect(metrics.length).toBeGreaterThan(0);
  });

  it('the grammar does reject a broken expression (the check above can fail)', () => {
    expect(readExpr('sum(rate(stagegate_route_calls_total[5m]) >').errors.length).toBeGreaterThan(0);
    expect(readExpr('stagegate_route_calls_total{path=}').errors.length).toBeGreaterThan(0);
  });

  it('uses only metrics that GET /metrics exposes', async () => {
    const exposed = await scrape(h.server.url, TOKEN);
    const families = new Set(exposed.types.keys());
    const known = (name: string) =>
      SYNTHETIC.has(name) || families.has(name) || ['_bucket', '_count', '_sum'].some((suffix) => name.endsWith(suffix) && exposed.types.get(name.slice(0, -suffix.length)) === 'histogram');
    const used = [...new Set(alerts.flatMap((rule) => readExpr(String(rule.expr)).metrics))];
    expect(used.filter((name) => !known(name))).toEqual([]);
    // The ADR's error-rate alert reads the SDK-reported route() counters on the enabled path.
    expect(used).toEqual(expect.arrayContaining(['stagegate_route_errors_total', 'stagegate_route_calls_total', 'stagegate_flag_kills_total', 'stagegate_guard_trips_total', 'stagegate_flag_cache_misses_total']));
  });

  it('passes promtool check rules and its unit tests (alerts.test.yml) where promtool is installed', () => {
    const found = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
    if (found.error) {
      // Debian's `prometheus` package brings promtool and .ci/run installs it, so CI always runs this;
      // a developer's machine without it relies on the grammar check above.
      expect((found.error as NodeJS.ErrnoException).code).toBe('ENOENT');
      expect(process.env.CI, 'promtool must be installed in CI (.ci/run)').toBeFalsy();
      return;
    }
    const checked = spawnSync('promtool', ['check', 'rules', RULES_PATH], { encoding: 'utf8' });
    expect(checked.stdout + checked.stderr).toMatch(/SUCCESS/);
    expect(checked.status).toBe(0);
    const tested = spawnSync('promtool', ['test', 'rules', RULE_TESTS_PATH], { encoding: 'utf8' });
    expect(tested.stdout + tested.stderr).toMatch(/SUCCESS/);
    expect(tested.status).toBe(0);
  });

  it('has promtool unit tests for the ADR alerts, on the rules file itself', () => {
    const tests = parse(readFileSync(RULE_TESTS_PATH, 'utf8')) as { rule_files: string[]; tests: Array<{ alert_rule_test: Array<{ alertname: string }> }> };
    expect(tests.rule_files).toEqual(['alerts.yml']);
    const tested = new Set(tests.tests.flatMap((test) => test.alert_rule_test.map((case_) => case_.alertname)));
    for (const required of ['StagegateNewPathErrorRateHigh', 'StagegateDown', 'StagegateUnusualKillActivity', 'StagegateCacheMissRateHigh']) expect(tested).toContain(required);
  });
});
