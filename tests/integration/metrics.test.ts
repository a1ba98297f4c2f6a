/**
 * GET /metrics after a few operations over real HTTP against the real test database: the names, the labels,
 * and values that moved. The metrics, server and client are this file's own, so nothing else counts into them.
 */
import { createMetrics, type Metrics } from '../../src/metrics';
import { createDriver, Neo4jClient } from '../../src/db/neo4jClient';
import { seedTestDatabase } from '../helpers/graphql';
import { testNeo4jUri } from '../helpers/neo4j';
import { postGraphQL, request, serveOnLoopback, type HttpService } from '../helpers/httpServer';

const MAX_POOL_SIZE = 7;

let metrics: Metrics;
let client: Neo4jClient;
let service: HttpService;

/** The value of one sample line, e.g. sample(text, 'graphql_requests_total', { outcome: 'success' }). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(): Promise<string> {
  const response = await request(`${service.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text;
}

beforeAll(async () => {
  metrics = createMetrics();
  client = new Neo4jClient(createDriver({ uri: testNeo4jUri(), maxPoolSize: MAX_POOL_SIZE }), {
    queryTimeoutMs: 30_000,
    observer: metrics.queryObserver,
  });
  await seedTestDatabase(client);
  metrics.watchNeo4j(client, MAX_POOL_SIZE);
  service = await serveOnLoopback({ client, metrics });
});
afterAll(async () => {
  await service.stop();
  await client.close();
});

test('before any traffic, the pool and the process are described', async () => {
  const text = await scrape();
  expect(sample(text, 'neo4j_pool_max_size')).toBe(MAX_POOL_SIZE);
  expect(sample(text, 'neo4j_queries_in_flight')).toBe(0);
  expect(text).toContain('# TYPE graphql_requests_total counter');
  expect(text).toContain('# TYPE graphql_request_duration_seconds histogram');
  expect(text).toContain('# TYPE neo4j_query_duration_seconds histogram');
  expect(text).toContain('# TYPE neo4j_pool_connections gauge');
  // prom-client's process and runtime metrics come along.
  expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
});

test('operations are counted and timed by name, type and outcome; Cypher statements and the pool move too', async () => {
  const before = await scrape();
  const queriesBefore = sample(before, 'neo4j_queries_total', { mode: 'READ', outcome: 'success' }) ?? 0;

  const ok = { query: 'query CountryName($id: ID!) { entity(id: $id) { name } }', operationName: 'CountryName' };
  for (const id of ['ukraine', 'france', 'russia'])
    expect((await postGraphQL(service.url, { ...ok, variables: { id } })).json.errors).toBeUndefined();
  // An anonymous query, one that fails while executing, and one that never executes.
  expect((await postGraphQL(service.url, { query: '{ entity(id: "nato") { id } }' })).status).toBe(200);
  const failing = await postGraphQL(service.url, { query: 'query TooMany { search(text: "Macron", first: 1000) { score } }' });
  expect(failing.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  const invalid = await postGraphQL(service.url, { query: 'query Broken { entity(id: "nato") { noSuchField } }' });
  expect(invalid.json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  const unparsable = await postGraphQL(service.url, { query: 'query Unparsable {', operationName: 'Unparsable' });
  expect(unparsable.json.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');

  const text = await scrape();
  const named = { operation_name: 'CountryName', operation_type: 'query', outcome: 'success' };
  expect(sample(text, 'graphql_requests_total', named)).toBe(3);
  expect(sample(text, 'graphql_request_duration_seconds_count', named)).toBe(3);
  expect(sample(text, 'graphql_request_duration_seconds_sum', named)).toBeGreaterThan(0);
  expect(sample(text, 'graphql_request_duration_seconds_bucket', { ...named, le: '+Inf' })).toBe(3);
  expect(sample(text, 'graphql_requests_total', { operation_name: 'anonymous', operation_type: 'query', outcome: 'success' })).toBe(1);
  expect(sample(text, 'graphql_requests_total', { operation_name: 'TooMany', operation_type: 'query', outcome: 'error' })).toBe(1);
  expect(sample(text, 'graphql_requests_total', { operation_name: 'Broken', operation_type: 'query', outcome: 'invalid' })).toBe(1);
  expect(sample(text, 'graphql_requests_total', { operation_name: 'Unparsable', operation_type: 'unknown', outcome: 'invalid' })).toBe(1);

  // Each successful entity lookup made at least one read; no statement failed.
  expect(sample(text, 'neo4j_queries_total', { mode: 'READ', outcome: 'success' })! - queriesBefore).toBeGreaterThanOrEqual(4);
  expect(sample(text, 'neo4j_query_duration_seconds_count', { mode: 'READ', outcome: 'success' })).toBe(
    sample(text, 'neo4j_queries_total', { mode: 'READ', outcome: 'success' }),
  );
  expect(sample(text, 'neo4j_queries_total', { mode: 'READ', outcome: 'error' })).toBeUndefined();

  // The pool state comes from the driver: between requests its connections are idle, none in use or awaited.
  expect(sample(text, 'neo4j_pool_state_available')).toBe(1);
  const address = /neo4j_pool_connections\{address="([^"]+)",state="idle"\}/.exec(text)?.[1];
  expect(address).toMatch(/^(localhost|127\.0\.0\.1):\d+$/);
  expect(sample(text, 'neo4j_pool_connections', { address: address!, state: 'idle' })).toBeGreaterThanOrEqual(1);
  expect(sample(text, 'neo4j_pool_connections', { address: address!, state: 'in_use' })).toBe(0);
  expect(sample(text, 'neo4j_pool_acquisition_waiting', { address: address! })).toBe(0);
});

test('with every connection held, the pool shows them in use and the next statement waiting', async () => {
  // Hold every pooled connection in an open transaction, then send one more statement: it has to wait.
  const sessions = Array.from({ length: MAX_POOL_SIZE }, () => client.driver.session());
  const transactions = await Promise.all(sessions.map((session) => session.beginTransaction()));
  try {
    await Promise.all(transactions.map((tx) => tx.run('RETURN 1')));
    const waiting = client.read('RETURN 1 AS ok');
    let text = await scrape();
    for (let attempt = 0; attempt < 20 && sample(text, 'neo4j_queries_in_flight') !== 1; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      text = await scrape();
    }
    const sum = (state: string) =>
      [...text.matchAll(new RegExp(`^neo4j_pool_connections\\{address="[^"]+",state="${state}"\\} (\\d+)$`, 'gm'))].reduce(
        (total, m) => total + Number(m[1]),
        0,
      );
    expect(sum('in_use')).toBe(MAX_POOL_SIZE);
    expect(sum('idle')).toBe(0);
    expect(sample(text, 'neo4j_queries_in_flight')).toBe(1);
    const queued = [...text.matchAll(/^neo4j_pool_acquisition_waiting\{address="[^"]+"\} (\d+)$/gm)].reduce(
      (total, m) => total + Number(m[1]),
      0,
    );
    expect(queued).toBe(1);
    await Promise.all(transactions.map((tx) => tx.rollback()));
    await expect(waiting).resolves.toEqual([{ ok: 1 }]);
  } finally {
    await Promise.all(sessions.map((session) => session.close()));
  }
  const after = await scrape();
  expect(sample(after, 'neo4j_queries_in_flight')).toBe(0);
});

test('a failing statement is counted by outcome and Neo4j error code', async () => {
  await expect(client.read('THIS IS NOT CYPHER')).rejects.toThrow();
  const text = await scrape();
  expect(sample(text, 'neo4j_queries_total', { mode: 'READ', outcome: 'error' })).toBe(1);
  expect(sample(text, 'neo4j_query_errors_total', { mode: 'READ', code: 'Neo.ClientError.Statement.SyntaxError' })).toBe(1);
  expect(sample(text, 'neo4j_pool_acquisition_timeouts_total')).toBe(0);
});
