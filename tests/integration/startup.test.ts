/**
 * `npm start` end to end, as a child process: the embedded database's whole life (provision, start, seed,
 * serve, ingest, drain, stop, restart with the data (and what was ingested) kept, crash), and every start-up error with its one line.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findFreePort, startEmbeddedNeo4j, type EmbeddedNeo4j } from '../../src/db/embedded/embeddedNeo4j';
import { testNeo4jUri } from '../helpers/neo4j';
import { failedStart, isAlive, ServiceProcess } from '../helpers/service';

const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `kg-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const NO_STACK = /^\s+at /;

/** A start-up failure prints exactly one line on stderr, without a stack, and exits non-zero. */
async function expectOneLineFailure(env: NodeJS.ProcessEnv, message: RegExp): Promise<void> {
  const { code, stderr } = await failedStart(env);
  expect(code).toBe(1);
  expect(stderr).toHaveLength(1);
  expect(stderr[0]).toMatch(message);
  expect(stderr.some((line) => NO_STACK.test(line))).toBe(false);
}

async function occupyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

async function graphql(port: number, query: string): Promise<any> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

/**
 * A GraphQL POST whose body is held back until `sendBody()`. Resolves once the service has read the request's
 * headers (it answers `Expect: 100-continue`), so from then on the request is in flight for as long as the test
 * wants: a real slow client, with no test hook in the service.
 */
async function requestWithHeldBody(
  port: number,
  query: string,
): Promise<{ sendBody: () => void; response: Promise<{ status: number | undefined; body: unknown }> }> {
  const body = JSON.stringify({ query });
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    path: '/graphql',
    method: 'POST',
    agent: false, // a connection of its own, closed after the response, so the drain need not wait for it
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
  });
  const response = new Promise<{ status: number | undefined; body: unknown }>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', reject);
      res.once('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
  });
  response.catch(() => undefined); // observed by the caller; this only keeps an early failure from going unhandled
  await new Promise<void>((resolve, reject) => {
    request.once('continue', resolve);
    request.once('error', reject);
    setTimeout(() => reject(new Error('no 100 Continue within 30 s')), 30_000).unref();
    request.flushHeaders();
  });
  return { sendBody: () => request.end(body), response };
}

describe('the embedded default', () => {
  test('starts, seeds, serves, drains on SIGTERM, keeps its data across a restart, and restarts a crashed database', async () => {
    const dataDir = path.join(tempDir('data'), 'neo4j');
    const httpPort = await findFreePort();
    const editorKey = 'startup-test-editor-key-0123456789abcdef';
    const env = {
      NEO4J_DATA_DIR: dataDir,
      NEO4J_EMBEDDED_BOLT_PORT: String(await findFreePort()),
      PORT: String(httpPort),
      AUTH_API_KEYS: `startup:editor:${editorKey}`,
    };
    const services: ServiceProcess[] = [];
    try {
      const first = new ServiceProcess(env);
      services.push(first);
      const neo4jReady = await first.waitForLog(/Embedded Neo4j is ready/);
      await first.waitForLog(/GraphQL API ready/);
      expect(first.logs().some((l) => l.msg === 'database was empty: loaded the seed graph')).toBe(true);
      expect(await graphql(httpPort, '{ __typename }')).toEqual({ data: { __typename: 'Query' } });
      expect((await fetch(`http://127.0.0.1:${httpPort}/health/live`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${httpPort}/health/ready`)).status).toBe(200);

      // A document ingested through the API, to find again after the restart.
      const ingested = await fetch(`http://127.0.0.1:${httpPort}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${editorKey}` },
        body: JSON.stringify({
          query: `mutation ($input: IngestDocumentInput!) { ingestDocument(input: $input) { created entities { entity { id } } } }`,
          variables: {
            input: {
              document: { id: 'restart-test', title: 'Restart test', text: 'The Restart Institute met in Paris.' },
              entities: [
                {
                  ref: 'r',
                  kind: 'ORGANIZATION',
                  name: 'Restart Institute',
                  evidence: [{ quote: 'The Restart Institute', confidence: 0.9 }],
                },
              ],
              relations: [
                {
                  type: 'PARTICIPATES_IN',
                  source: { ref: 'r' },
                  target: { id: 'paris-coalition-meeting' },
                  evidence: [{ quote: 'met in Paris', confidence: 0.5 }],
                },
              ],
            },
          },
        }),
      });
      expect(await ingested.json()).toEqual({
        data: { ingestDocument: { created: true, entities: [{ entity: { id: 'restart-institute' } }] } },
      });

      const javaPid = neo4jReady.pid as number;
      expect(isAlive(javaPid)).toBe(true);
      // A request in flight when SIGTERM comes: the service has read its headers but not yet its body.
      const inFlight = await requestWithHeldBody(httpPort, '{ entity(id: "emmanuel-macron") { name } }');
      first.kill('SIGTERM');
      await first.waitForLog(/^shutting down$/);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(isAlive(first.pid)).toBe(true); // draining: waiting for that request
      inFlight.sendBody();
      expect(await inFlight.response).toEqual({ status: 200, body: { data: { entity: { name: 'Emmanuel Macron' } } } });
      expect(await first.waitForExit()).toEqual({ code: 0, signal: null });
      expect(isAlive(javaPid)).toBe(false);
      const shutdownOrder = first
        .logs()
        .map((l) => l.msg)
        .filter((m) => m === 'shutting down' || m === 'stopped');
      expect(shutdownOrder).toEqual(['shutting down', 'stopped']);

      const second = new ServiceProcess(env);
      services.push(second);
      const secondNeo4j = await second.waitForLog(/Embedded Neo4j is ready/);
      await second.waitForLog(/GraphQL API ready/);
      expect(second.logs().some((l) => l.msg === 'database was empty: loaded the seed graph')).toBe(false);
      const kept = await graphql(httpPort, '{ entity(id: "emmanuel-macron") { name } }');
      expect(kept).toEqual({ data: { entity: { name: 'Emmanuel Macron' } } });
      const ingestedKept = await graphql(
        httpPort,
        '{ document(id: "restart-test") { title } entity(id: "restart-institute") { relations { edges { node { target { id } } } } } }',
      );
      expect(ingestedKept).toEqual({
        data: {
          document: { title: 'Restart test' },
          entity: { relations: { edges: [{ node: { target: { id: 'paris-coalition-meeting' } } }] } },
        },
      });

      // A crash of the database is noticed: the service stays up, says why it is not ready, restarts the
      // database, and serves again.
      process.kill(secondNeo4j.pid as number, 'SIGKILL');
      await second.waitForLog(/^restarting the embedded Neo4j$/);
      const notReady = await fetch(`http://127.0.0.1:${httpPort}/health/ready`);
      expect(notReady.status).toBe(503);
      expect(((await notReady.json()) as { reason: string }).reason).toMatch(/the embedded Neo4j exited on signal SIGKILL; restart 1 of 5/);
      await second.waitForLog(/^the embedded Neo4j was restarted$/);
      await second.waitForLog(/^the graph database is back$/, 10_000).catch(() => undefined);
      expect(await graphql(httpPort, '{ entity(id: "emmanuel-macron") { name } }')).toEqual(kept);
      const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
      expect(metrics).toMatch(/^neo4j_embedded_restarts_total 1$/m);
      expect(isAlive(second.pid)).toBe(true);
      second.kill('SIGTERM');
      expect(await second.waitForExit()).toEqual({ code: 0, signal: null });

      // With restarts off, a crash stops the service with one line that says what to do.
      const third = new ServiceProcess({ ...env, NEO4J_EMBEDDED_RESTARTS: '0' });
      services.push(third);
      const thirdNeo4j = await third.waitForLog(/Embedded Neo4j is ready/);
      await third.waitForLog(/GraphQL API ready/);
      process.kill(thirdNeo4j.pid as number, 'SIGKILL');
      expect((await third.waitForExit()).code).toBe(1);
      expect(third.stderr).toEqual([
        expect.stringMatching(
          /^error: The embedded Neo4j exited on signal SIGKILL and restarts are off \(NEO4J_EMBEDDED_RESTARTS=0\): see .*debug\.log, fix the cause, and start the service again\.$/,
        ),
      ]);
    } finally {
      // Leave no service and no JVM behind when an assertion above fails.
      await Promise.all(services.map((service) => service.killAll()));
    }
  }, 360_000);
});

describe('start-up errors, each one clear line', () => {
  test('an invalid variable names the variable', async () => {
    await expectOneLineFailure({ PORT: 'abc' }, /^error: Invalid configuration: PORT /);
    await expectOneLineFailure({ NEO4J_URI: 'http://localhost:7474' }, /^error: Invalid configuration: NEO4J_URI must be a Neo4j URI/);
  });

  test('an unreachable NEO4J_URI', async () => {
    const closedPort = await findFreePort();
    await expectOneLineFailure(
      { NEO4J_URI: `bolt://127.0.0.1:${closedPort}` },
      new RegExp(
        `^error: Could not reach Neo4j at bolt://127\\.0\\.0\\.1:${closedPort} .*: check NEO4J_URI and that the server is running\\.$`,
      ),
    );
  });

  test('a database that does not exist', async () => {
    await expectOneLineFailure(
      { NEO4J_URI: testNeo4jUri(), NEO4J_DATABASE: 'nosuchdb' },
      /^error: Database "nosuchdb" does not exist at bolt:.*: check NEO4J_DATABASE\.$/,
    );
  });

  test('the HTTP port already taken', async () => {
    const { port, server } = await occupyPort();
    try {
      await expectOneLineFailure(
        { NEO4J_URI: testNeo4jUri(), PORT: String(port) },
        new RegExp(`^error: Port ${port} is already in use: stop the process using it or set PORT to a free port\\.$`),
      );
    } finally {
      server.close();
    }
  });

  test('the embedded Bolt port already taken', async () => {
    const { port, server } = await occupyPort();
    try {
      await expectOneLineFailure(
        { NEO4J_EMBEDDED_BOLT_PORT: String(port), NEO4J_DATA_DIR: tempDir('data') },
        new RegExp(`^error: Port ${port} on 127\\.0\\.0\\.1 is already in use.*NEO4J_EMBEDDED_BOLT_PORT`),
      );
    } finally {
      server.close();
    }
  });

  test('no java', async () => {
    await expectOneLineFailure(
      { JAVA_HOME: '/nonexistent/jdk', NEO4J_DATA_DIR: tempDir('data') },
      /^error: Java 17\+ was not found .*JAVA_HOME/,
    );
  });

  test('no mvn when the jars are not cached yet', async () => {
    await expectOneLineFailure(
      {
        PATH: '/nonexistent',
        JAVA_HOME: process.env.JAVA_HOME ?? '/usr/lib/jvm/java-17-openjdk-amd64',
        NEO4J_CACHE_DIR: tempDir('cache'),
        NEO4J_DATA_DIR: tempDir('data'),
      },
      /^error: Maven \(mvn\) was not found on PATH/,
    );
  });

  test('a failed download', async () => {
    // Maven reads settings from user.home: an offline settings file and an empty local repository make the
    // download fail at once, without touching the network.
    const home = tempDir('home');
    mkdirSync(path.join(home, '.m2'));
    writeFileSync(
      path.join(home, '.m2', 'settings.xml'),
      `<settings><offline>true</offline><localRepository>${home}/repo</localRepository></settings>`,
    );
    await expectOneLineFailure(
      { MAVEN_OPTS: `-Duser.home=${home}`, NEO4J_CACHE_DIR: tempDir('cache'), NEO4J_DATA_DIR: tempDir('data') },
      /^error: Downloading Neo4j 5\.26\.\d+ from Maven Central failed: .*npm run neo4j:provision/,
    );
  }, 120_000);

  describe('with a database that requires authentication', () => {
    let secured: EmbeddedNeo4j;
    beforeAll(async () => {
      secured = await startEmbeddedNeo4j({ dataDir: tempDir('auth'), boltPort: 0, auth: true, heapMb: 256, pageCacheMb: 64 });
    }, 120_000);
    afterAll(async () => {
      await secured?.stop();
    });

    test('wrong credentials', async () => {
      await expectOneLineFailure(
        { NEO4J_URI: secured.uri, NEO4J_USERNAME: 'neo4j', NEO4J_PASSWORD: 'wrong-password' },
        /^error: Neo4j at bolt:.* rejected the credentials: check NEO4J_USERNAME and NEO4J_PASSWORD\.$/,
      );
    });
  });
});
