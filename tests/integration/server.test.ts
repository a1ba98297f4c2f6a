/** The HTTP surface: probes, error shapes and argument validation, over real HTTP and a real database. */
import type { AddressInfo } from 'node:net';
import { findFreePort } from '../../src/db/embedded/embeddedNeo4j';
import { createDriver, Neo4jClient } from '../../src/db/neo4jClient';
import { createServer, type RunningServer } from '../../src/server';
import { openTestClient, seedTestDatabase, silentLogger } from '../helpers/graphql';

async function serve(client: Neo4jClient): Promise<{ server: RunningServer; url: string }> {
  const server = await createServer({ config: { env: 'test', introspection: true }, client, logger: silentLogger });
  await new Promise<void>((resolve) => server.httpServer.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}` };
}

async function post(url: string, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return response.json();
}

describe('with the database up', () => {
  let client: Neo4jClient;
  let running: { server: RunningServer; url: string };
  beforeAll(async () => {
    client = openTestClient();
    await seedTestDatabase(client);
    running = await serve(client);
  });
  afterAll(async () => {
    await running.server.apollo.stop();
    await client.close();
  });

  test('liveness and readiness are 200', async () => {
    expect((await fetch(`${running.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${running.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', neo4j: 'up' });
  });

  test.each([
    ['first above the cap', '{ entity(id: "ukraine") { relations(first: 201) { totalCount } } }', 'first'],
    ['negative first', '{ search(text: "Macron", first: -1) { score } }', 'first'],
    ['depth above 3', '{ neighborhood(id: "ukraine", depth: 4) { truncated } }', 'depth'],
    ['a limit of zero', '{ neighborhood(id: "ukraine", limit: 0) { truncated } }', 'limit'],
    ['a forged cursor', '{ entity(id: "ukraine") { relations(after: "bm90LWEtY3Vyc29y") { totalCount } } }', 'after'],
  ])('%s is a BAD_USER_INPUT naming the argument, without a stack trace', async (_name, query, argumentName) => {
    const body = await post(running.url, query);
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName });
    expect(body.errors[0].message).toContain(`"${argumentName}"`);
  });
});

describe('with the database down', () => {
  test('readiness is 503 and queries fail with SERVICE_UNAVAILABLE, while liveness stays 200', async () => {
    const port = await findFreePort();
    const client = new Neo4jClient(createDriver({ uri: `bolt://127.0.0.1:${port}` }), { queryTimeoutMs: 2_000 });
    const running = await serve(client);
    try {
      expect((await fetch(`${running.url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${running.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable', neo4j: 'down' });
      const body = await post(running.url, '{ entity(id: "ukraine") { name } }');
      expect(body.errors).toEqual([
        { message: 'The graph database is not reachable right now; try again shortly.', path: ['entity'], extensions: { code: 'SERVICE_UNAVAILABLE' } },
      ]);
    } finally {
      await running.server.apollo.stop();
      await client.close();
    }
  }, 90_000);
});
