/** The HTTP surface: probes, error shapes and argument validation, over real HTTP and a real database. */
import { createHash } from 'node:crypto';
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
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
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

  test('read-only answers carry a public Cache-Control header built from the schema hints', async () => {
    const response = await fetch(`${running.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: '{ entity(id: "ukraine") { name relations(first: 2) { edges { node { type evidence { quote } } } } } }',
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('max-age=300, public');
  });

  test('automatic persisted queries: a hash alone works once the query has been sent with it', async () => {
    const query = '{ entity(id: "russia") { name aliases } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } };
    const send = (body: object) =>
      fetch(`${running.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
        (r) => r.json() as Promise<any>,
      );
    const unknown = await send({ extensions });
    expect(unknown.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await send({ query, extensions })).data.entity.name).toBe('Russia');
    expect((await send({ extensions })).data.entity.aliases).toContain('the Kremlin');
  });

  test('a malformed date argument is a BAD_USER_INPUT with a readable message', async () => {
    const body = await post(running.url, 'query ($d: Date) { timeline(from: $d) { totalCount } }', { d: 'February 2022' });
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toContain('YYYY, YYYY-MM or YYYY-MM-DD');
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
      expect(await ready.json()).toEqual({ status: 'unavailable', neo4j: 'down', reason: expect.stringMatching(/not reachable/) });
      const body = await post(running.url, '{ entity(id: "ukraine") { name } }');
      // Unreachable, or (when the driver's retries outlast the statement's time) past the deadline: either way
      // SERVICE_UNAVAILABLE, and a message that says so without internals.
      expect(body.errors).toEqual([
        {
          message: expect.stringMatching(
            /^The graph database (is not reachable right now|did not answer within the request's deadline \(2000 ms\)); try again shortly\.$/,
          ),
          path: ['entity'],
          extensions: { code: 'SERVICE_UNAVAILABLE' },
        },
      ]);
    } finally {
      await running.server.apollo.stop();
      await client.close();
    }
  }, 90_000);
});
