/** The parts of src/metrics.ts that need no database: label hygiene and reading the pool defensively. */
import { ApolloServer } from '@apollo/server';
import { createDriver } from '../../src/db/neo4jClient';
import { createMetrics, MAX_OPERATION_NAMES, readPoolState } from '../../src/metrics';

test(`operation names past the first ${MAX_OPERATION_NAMES} are counted as "other"; malformed ones as "invalid_name"`, async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const server = new ApolloServer({
    typeDefs: 'type Query { ok: Boolean }',
    resolvers: { Query: { ok: () => true } },
    plugins: [metrics.plugin],
  });
  await server.start();
  try {
    for (let i = 0; i < MAX_OPERATION_NAMES + 5; i++) await server.executeOperation({ query: `query Op${i} { ok }` });
    // Does not parse, so only the client-sent name is known, and it is not a GraphQL name.
    await server.executeOperation({ query: '{', operationName: 'not a name; DROP' });
    const counts = (await metrics.registry.getSingleMetric('graphql_requests_total')!.get()).values;
    const names = new Map(counts.map((v) => [v.labels.operation_name, v.value]));
    expect(names.size).toBe(MAX_OPERATION_NAMES + 2);
    expect(names.get('Op0')).toBe(1);
    expect(names.get(`Op${MAX_OPERATION_NAMES - 1}`)).toBe(1);
    expect(names.has(`Op${MAX_OPERATION_NAMES}`)).toBe(false);
    expect(names.get('other')).toBe(5);
    expect(names.get('invalid_name')).toBe(1);
  } finally {
    await server.stop();
  }
});

test('the pool of a driver that has not connected yet is empty, not unknown', async () => {
  const driver = createDriver({ uri: 'bolt://127.0.0.1:1' });
  try {
    expect(readPoolState(driver)).toEqual(new Map());
  } finally {
    await driver.close();
  }
});

test('if the driver internals change shape, the pool state is reported as unavailable rather than guessed', async () => {
  const changed = { _connectionProvider: { _connectionPool: { somethingElse: true } } };
  expect(readPoolState(changed as never)).toBeUndefined();
  const metrics = createMetrics({ defaultMetrics: false });
  metrics.watchNeo4j({ driver: changed, inFlight: 0, state: { up: true } } as never, 10);
  const { body } = await metrics.render();
  expect(body).toMatch(/^neo4j_pool_state_available 0$/m);
  expect(body).toMatch(/^neo4j_pool_max_size 10$/m);
});
