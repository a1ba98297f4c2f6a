/** The production settings in src/config.ts: CORS_ORIGINS, LANDING_PAGE, METRICS, EXPLORER and their defaults. */
import { loadConfig } from '../../src/config';
import { configProblems } from '../helpers/config';

const problemsOf = configProblems;

test('production: no landing page and no cross-origin access unless configured; development: both', () => {
  expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({
    landingPage: false,
    corsOrigins: [],
    introspection: false,
    metrics: true,
  });
  expect(loadConfig({})).toMatchObject({ landingPage: true, corsOrigins: '*', introspection: true, metrics: true });
  expect(loadConfig({ NODE_ENV: 'production', LANDING_PAGE: 'true' }).landingPage).toBe(true);
  expect(loadConfig({ LANDING_PAGE: 'no', METRICS: 'false' })).toMatchObject({ landingPage: false, metrics: false });
});

test('CORS_ORIGINS takes * or a list of exact origins, spaces and empty items ignored', () => {
  expect(loadConfig({ NODE_ENV: 'production', CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
  expect(loadConfig({ NODE_ENV: 'production', CORS_ORIGINS: ' https://app.example.org , http://localhost:3000,' }).corsOrigins).toEqual([
    'https://app.example.org',
    'http://localhost:3000',
  ]);
  expect(loadConfig({ NODE_ENV: 'production', CORS_ORIGINS: '  ' }).corsOrigins).toEqual([]);
});

test.each([
  ['a path', 'https://app.example.org/graphql'],
  ['a trailing slash', 'https://app.example.org/'],
  ['no scheme', 'app.example.org'],
  ['another scheme', 'ftp://files.example.org'],
  ['* inside a list', 'https://app.example.org,*'],
  ['a wildcard subdomain', 'https://*.example.org'],
])('CORS_ORIGINS with %s is refused, naming the bad item', (_name, value) => {
  const problems = problemsOf({ CORS_ORIGINS: value });
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/^CORS_ORIGINS must be \* alone or a comma-separated list of origins/);
});

test('a bad LANDING_PAGE or METRICS flag is reported with the others', () => {
  expect(problemsOf({ LANDING_PAGE: 'maybe', METRICS: 'on', CORS_ORIGINS: 'nope' }).map((p) => p.split(' ')[0])).toEqual([
    'LANDING_PAGE',
    'CORS_ORIGINS',
    'METRICS',
  ]);
});

test('EXPLORER: the /explore page is on outside production and off in production unless switched on', () => {
  expect(loadConfig({}).explorer).toBe(true);
  expect(loadConfig({ NODE_ENV: 'test' }).explorer).toBe(true);
  expect(loadConfig({ NODE_ENV: 'production' }).explorer).toBe(false);
  expect(loadConfig({ NODE_ENV: 'production', EXPLORER: 'true' }).explorer).toBe(true);
  expect(loadConfig({ EXPLORER: 'false' }).explorer).toBe(false);
  expect(problemsOf({ EXPLORER: 'sometimes' })).toEqual([expect.stringMatching(/^EXPLORER /)]);
});
