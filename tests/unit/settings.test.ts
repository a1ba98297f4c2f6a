/**
 * The bounded settings of src/limits.ts (operation limits, deadlines, recovery): each is read from its
 * environment variable within its range, and README.md's configuration table states its default.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { MUTATION_RATE_LIMIT, OPERATION_LIMITS, RESILIENCE_SETTINGS, RESPONSE_CACHE_SETTINGS, type Setting } from '../../src/limits';
import { configProblems } from '../helpers/config';

const settings: Setting[] = [
  ...Object.values(OPERATION_LIMITS),
  ...Object.values(RESILIENCE_SETTINGS),
  MUTATION_RATE_LIMIT,
  ...Object.values(RESPONSE_CACHE_SETTINGS),
];
const readme = readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');

test.each(settings.map((s) => [s.variable, s]))("README's configuration table states %s and its default", (variable, setting) => {
  expect(readme).toContain(`| \`${variable}\` | \`${setting.default}\` |`);
});

test('with nothing set, every setting has its default', () => {
  const config = loadConfig({});
  expect(config.limits).toEqual({ maxTokens: 5_000, maxDepth: 20, maxAliases: 30, maxDirectives: 50, maxCost: 250_000 });
  expect(config.resilience.requestTimeoutMs).toBe(15_000);
  expect(config.responseCache).toEqual({ enabled: false, maxBytes: 67_108_864, pollMs: 5_000 });
});

test('RESPONSE_CACHE switches the response cache on, and README states its default', () => {
  expect(loadConfig({ RESPONSE_CACHE: 'true', RESPONSE_CACHE_MAX_BYTES: '2097152' }).responseCache).toMatchObject({
    enabled: true,
    maxBytes: 2_097_152,
  });
  expect(configProblems({ RESPONSE_CACHE: 'maybe' })).toEqual([expect.stringMatching(/^RESPONSE_CACHE /)]);
  expect(readme).toContain('| `RESPONSE_CACHE` | `false` |');
});

test('each setting takes an integer within its range, and a bad value names its variable', () => {
  expect(loadConfig({ GRAPHQL_MAX_DEPTH: '25', REQUEST_TIMEOUT_MS: '2500' })).toMatchObject({
    limits: { maxDepth: 25 },
    resilience: { requestTimeoutMs: 2_500 },
  });
  for (const setting of settings) {
    expect(configProblems({ [setting.variable]: String(setting.max + 1) })).toEqual([
      expect.stringMatching(new RegExp(`^${setting.variable} `)),
    ]);
    expect(configProblems({ [setting.variable]: 'lots' })).toEqual([expect.stringMatching(new RegExp(`^${setting.variable} `))]);
  }
});
