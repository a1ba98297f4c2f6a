import { loadConfig } from '../../src/config';
import { configProblems } from '../helpers/config';

const problemsOf = configProblems;

test('with no variables set the service uses the embedded Neo4j and seeds it', () => {
  const config = loadConfig({}, '/srv/app');
  expect(config.neo4j).toMatchObject({
    mode: 'embedded',
    boltPort: 7687,
    dataDir: '/srv/app/data/neo4j',
    cacheDir: '/srv/app/.cache/neo4j',
  });
  expect(config).toMatchObject({ port: 4000, seedOnStart: true, introspection: true, env: 'development' });
});

test('NEO4J_URI selects an external database, which is not seeded unless asked', () => {
  const config = loadConfig({
    NEO4J_URI: 'neo4j+s://abc.databases.neo4j.io',
    NEO4J_USERNAME: 'neo4j',
    NEO4J_PASSWORD: 'pw',
    NEO4J_DATABASE: 'news',
  });
  expect(config.neo4j).toMatchObject({ mode: 'external', uri: 'neo4j+s://abc.databases.neo4j.io', username: 'neo4j', database: 'news' });
  expect(config.seedOnStart).toBe(false);
  expect(loadConfig({ NEO4J_URI: 'bolt://db:7687', SEED_ON_START: 'true' }).seedOnStart).toBe(true);
});

test('production turns introspection off unless it is switched on', () => {
  expect(loadConfig({ NODE_ENV: 'production' }).introspection).toBe(false);
  expect(loadConfig({ NODE_ENV: 'production', INTROSPECTION: 'true' }).introspection).toBe(true);
});

test('every problem is reported at once, each naming its variable', () => {
  expect(problemsOf({ PORT: 'abc', NEO4J_URI: 'http://localhost:7474', NODE_ENV: 'staging' })).toEqual([
    expect.stringMatching(/^NODE_ENV /),
    expect.stringMatching(/^PORT /),
    expect.stringMatching(/^NEO4J_URI must be a Neo4j URI with one of the schemes bolt, bolt\+s/),
  ]);
});

test('credentials come in pairs and need a URI', () => {
  expect(problemsOf({ NEO4J_URI: 'bolt://db', NEO4J_USERNAME: 'neo4j' })).toEqual([
    'NEO4J_USERNAME and NEO4J_PASSWORD must be set together',
  ]);
  expect(problemsOf({ NEO4J_USERNAME: 'neo4j', NEO4J_PASSWORD: 'x' })[0]).toMatch(/NEO4J_URI is not/);
});
