/**
 * Deadlines, fail-fast and recovery (src/db/neo4jClient.ts, src/db/breaker.ts) against the real test database,
 * its faults played by a TCP proxy in front of it (tests/helpers/faultProxy.ts): down (every connection closed
 * and refused) and frozen (connections open, nothing answered, as under SIGSTOP).
 */
import { createDriver, Neo4jClient, RequestDb } from '../../src/db/neo4jClient';
import { DatabaseUnavailableError } from '../../src/db/unavailable';
import { FaultProxy } from '../helpers/faultProxy';
import { openTestClient, silentLogger } from '../helpers/graphql';
import { serveOnLoopback } from '../helpers/httpServer';
import { testNeo4jUri } from '../helpers/neo4j';

/** Cypher that runs for many seconds: a long count over generated numbers. */
const SLOW = 'UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 0 RETURN count(x) AS n';

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; error: unknown; value?: T }> {
  const started = performance.now();
  try {
    const value = await work();
    return { ms: performance.now() - started, error: undefined, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

describe('the request deadline', () => {
  test('ends the Neo4j transaction and fails with a clear SERVICE_UNAVAILABLE-kind error', async () => {
    const client = new Neo4jClient(createDriver({ uri: testNeo4jUri() }), { queryTimeoutMs: 30_000, requestTimeoutMs: 1_000 });
    const admin = openTestClient();
    try {
      const db = new RequestDb(client);
      const { ms, error } = await timed(() => db.read(SLOW));
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as DatabaseUnavailableError).reason).toMatch(/^(timeout|deadline)$/);
      expect(ms).toBeLessThan(1_000 + 1_000);
      // The server ended the transaction too: nothing of it is still running.
      await until(async () => {
        const running = await admin.read<{ n: number }>(
          'SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $text RETURN count(*) AS n',
          { text: 'range(1, 2000000000)' },
        );
        return running[0]!.n === 0;
      }, 5_000);
      // A read after the deadline fails at once, without reaching the database.
      expect((await timed(() => db.read('RETURN 1'))).error).toBeInstanceOf(DatabaseUnavailableError);
      expect(db.counter.count).toBe(2);
    } finally {
      await client.close();
      await admin.close();
    }
  }, 30_000);
});

describe('a database that goes down, freezes and comes back', () => {
  let proxy: FaultProxy;
  let client: Neo4jClient;

  beforeEach(async () => {
    proxy = await FaultProxy.start(testNeo4jUri());
    client = new Neo4jClient(createDriver({ uri: proxy.uri, acquisitionTimeoutMs: 1_000 }), {
      queryTimeoutMs: 5_000,
      requestTimeoutMs: 3_000,
      probeIntervalMs: 100,
    });
  });
  afterEach(async () => {
    await proxy.set('up');
    await client.close();
    await proxy.stop();
  });

  test('down: requests fail within 1 s once it is known, and it recovers by itself', async () => {
    expect(await client.read('RETURN 1 AS ok')).toEqual([{ ok: 1 }]);
    await proxy.set('down');
    await until(() => !client.state.up, 5_000);
    for (let i = 0; i < 5; i += 1) {
      const { ms, error } = await timed(() => client.read('RETURN 1 AS ok'));
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect(ms).toBeLessThan(1_000);
    }
    expect(client.state.reason).toMatch(/not reachable/);
    await proxy.set('up');
    const recoveredMs = await until(() => client.state.up, 5_000);
    expect(recoveredMs).toBeLessThan(2_000);
    expect(await client.read('RETURN 1 AS ok')).toEqual([{ ok: 1 }]);
  }, 30_000);

  test('frozen: a request in flight ends by its deadline, readiness answers within 2 s, new requests fail fast', async () => {
    expect(await client.read('RETURN 1 AS ok')).toEqual([{ ok: 1 }]);
    const http = await serveOnLoopback({ client, logger: silentLogger });
    try {
      await proxy.set('frozen');
      const inFlight = timed(() => new RequestDb(client).read('RETURN 1 AS ok'));
      const ready = await timed(() => fetch(`${http.url}/health/ready`));
      expect(ready.ms).toBeLessThan(2_000);
      expect((ready.value as Response).status).toBe(503);
      const { ms, error } = await inFlight;
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect(ms).toBeLessThan(3_000 + 1_000);
      await until(() => !client.state.up, 5_000);
      const fast = await timed(() =>
        fetch(`${http.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ entity(id: "ukraine") { name } }' }),
        }),
      );
      expect(fast.ms).toBeLessThan(1_000);
      const body = (await (fast.value as Response).json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('SERVICE_UNAVAILABLE');
      const readiness = (await (await fetch(`${http.url}/health/ready`)).json()) as { reason: string };
      expect(readiness.reason).toMatch(/graph database/);
      await proxy.set('up');
      await until(() => client.state.up, 5_000);
      expect(await client.read('RETURN 1 AS ok')).toEqual([{ ok: 1 }]);
    } finally {
      await http.stop();
    }
  }, 30_000);
});
