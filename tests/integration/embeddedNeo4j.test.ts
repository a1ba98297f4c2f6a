/**
 * Real tests of the embedded Neo4j (no mocks): the run's shared database, persistence across a restart of
 * a second instance, and every start-up error path with its exact one-line message.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import neo4j from 'neo4j-driver';
import { findFreePort, startEmbeddedNeo4j, type EmbeddedNeo4j, type EmbeddedNeo4jLogger } from '../../src/db/embedded/embeddedNeo4j';
import { StartupError } from '../../src/db/embedded/errors';
import { NEO4J_VERSION, provisionNeo4j, type ProvisionResult } from '../../src/db/embedded/provision';
import { openTestDriver } from '../helpers/neo4j';
import { goneWithin, isAlive } from '../helpers/service';

const tempDirs: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `kg-neo4j-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs `fn`, expects a StartupError, and returns it. */
async function startupError(fn: () => Promise<unknown>): Promise<StartupError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StartupError);
    return error as StartupError;
  }
  throw new Error('expected a StartupError, but the call succeeded');
}

describe('the test run database', () => {
  it('answers RETURN 1 through neo4j-driver', async () => {
    const driver = openTestDriver();
    try {
      const { records } = await driver.executeQuery('RETURN 1 AS one');
      expect(records[0]?.get('one')).toBe(1);
    } finally {
      await driver.close();
    }
  });
});

describe('a second embedded instance', () => {
  it('keeps data across a restart on the same dir, and leaves no process behind', async () => {
    const dataDir = await tempDir('persist');
    const boltPort = await findFreePort();

    const first = await startEmbeddedNeo4j({ dataDir, boltPort, heapMb: 384, pageCacheMb: 64 });
    expect(first.uri).toBe(`bolt://127.0.0.1:${boltPort}`);
    let driver = neo4j.driver(first.uri);
    await driver.executeQuery('CREATE (:PersistenceProbe {name: $name})', { name: 'survives restarts' });
    await driver.close();
    await first.stop();
    expect(isAlive(first.pid)).toBe(false);
    await first.stop(); // idempotent

    let unexpectedExit: ((value: [number | null, NodeJS.Signals | null]) => void) | undefined;
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => (unexpectedExit = resolve));
    const second: EmbeddedNeo4j = await startEmbeddedNeo4j({
      dataDir,
      boltPort,
      heapMb: 384,
      pageCacheMb: 64,
      onUnexpectedExit: (code, signal) => unexpectedExit?.([code, signal]),
    });
    try {
      driver = neo4j.driver(second.uri);
      const { records } = await driver.executeQuery('MATCH (p:PersistenceProbe) RETURN p.name AS name');
      await driver.close();
      expect(records.map((r) => r.get('name'))).toEqual(['survives restarts']);

      // A crash after start is reported through onUnexpectedExit.
      process.kill(second.pid, 'SIGKILL');
      await expect(exited).resolves.toEqual([null, 'SIGKILL']);
      expect(isAlive(second.pid)).toBe(false);
    } finally {
      await second.stop();
    }
  }, 120_000);
});

describe('start-up errors', () => {
  let provisioned: ProvisionResult;
  beforeAll(async () => {
    provisioned = await provisionNeo4j(); // already done by globalSetup: returns at once
  });

  it('PORT_IN_USE when something listens on the Bolt port', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const error = await startupError(() => startEmbeddedNeo4j({ dataDir: path.join(os.tmpdir(), 'unused'), boltPort: port }));
      expect(error.code).toBe('PORT_IN_USE');
      expect(error.message).toBe(
        `Port ${port} on 127.0.0.1 is already in use: stop the process using it or set NEO4J_EMBEDDED_BOLT_PORT to a free port.`,
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('JAVA_MISSING when the java executable does not exist', async () => {
    const error = await startupError(() =>
      startEmbeddedNeo4j({ dataDir: path.join(os.tmpdir(), 'unused'), boltPort: 0, javaCommand: '/nonexistent/java' }),
    );
    expect(error.code).toBe('JAVA_MISSING');
    expect(error.message).toBe(
      'Java 17+ was not found at /nonexistent/java: install a JDK 17 (for example apt-get install openjdk-17-jdk-headless) or set JAVA_HOME.',
    );
  });

  it('JAVA_MISSING names JAVA_HOME when it points nowhere', async () => {
    const saved = process.env['JAVA_HOME'];
    process.env['JAVA_HOME'] = '/nonexistent/jdk';
    try {
      const error = await startupError(() => startEmbeddedNeo4j({ dataDir: path.join(os.tmpdir(), 'unused'), boltPort: 0 }));
      expect(error.code).toBe('JAVA_MISSING');
      expect(error.message).toBe(
        'Java 17+ was not found at /nonexistent/jdk/bin/java (from JAVA_HOME): point JAVA_HOME at a JDK 17+ or unset it to use java from PATH.',
      );
    } finally {
      if (saved === undefined) delete process.env['JAVA_HOME'];
      else process.env['JAVA_HOME'] = saved;
    }
  });

  it('MVN_MISSING when the jars are not there and mvn does not exist', async () => {
    const cacheDir = await tempDir('nomvn');
    const error = await startupError(() =>
      startEmbeddedNeo4j({ dataDir: path.join(cacheDir, 'data'), boltPort: 0, cacheDir, mvnCommand: '/nonexistent/mvn' }),
    );
    expect(error.code).toBe('MVN_MISSING');
    expect(error.message).toBe(
      'Maven (mvn) was not found at /nonexistent/mvn: install Maven 3.8+ (for example apt-get install maven) and run npm run neo4j:provision again.',
    );
  });

  it('DOWNLOAD_FAILED when Maven cannot fetch the artifacts (offline, empty local repository)', async () => {
    const cacheDir = await tempDir('offline');
    const emptyRepo = await tempDir('m2');
    const started = Date.now();
    const error = await startupError(() => provisionNeo4j({ cacheDir, mvnArgs: ['-o', `-Dmaven.repo.local=${emptyRepo}`] }));
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(
      new RegExp(
        `^Downloading Neo4j ${NEO4J_VERSION.replace(/\./g, '\\.')} from Maven Central failed: .*offline mode.*\\. ` +
          'Check network access to Maven Central and run npm run neo4j:provision again\\.$',
      ),
    );
    expect(error.message).not.toContain('[Help');
  });

  it('NEO4J_START_FAILED when the launcher exits before READY (home is a file)', async () => {
    const dir = await tempDir('homefile');
    const home = path.join(dir, 'not-a-dir');
    await writeFile(home, 'x');
    const port = await findFreePort();
    const error = await startupError(() => startEmbeddedNeo4j({ dataDir: home, boltPort: port, classpath: provisioned.classpath }));
    expect(error.code).toBe('NEO4J_START_FAILED');
    expect(error.message).toBe(
      `Neo4j exited before it was ready (exit code 1): --home ${home} exists and is not a directory. See ${home}/logs/debug.log for details.`,
    );
  });

  it('NEO4J_START_FAILED when the classpath lacks the launcher', async () => {
    const dataDir = await tempDir('nolauncher');
    const port = await findFreePort();
    const error = await startupError(() => startEmbeddedNeo4j({ dataDir, boltPort: port, classpath: path.join(provisioned.libDir, '*') }));
    expect(error.code).toBe('NEO4J_START_FAILED');
    expect(error.message).toBe(
      `Neo4j exited before it was ready (exit code 1): Caused by: java.lang.ClassNotFoundException: kg.neo4j.EmbeddedNeo4j. See ${dataDir}/logs/debug.log for details.`,
    );
  });

  it('NEO4J_START_TIMEOUT when READY does not come in time, and the child is stopped', async () => {
    const dataDir = await tempDir('timeout');
    const port = await findFreePort();
    const pids: number[] = [];
    const logger: EmbeddedNeo4jLogger = {
      info: (fields: object, msg?: string) => {
        if (msg === 'Starting embedded Neo4j') pids.push((fields as { pid: number }).pid);
      },
      debug: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    };
    try {
      const error = await startupError(() =>
        startEmbeddedNeo4j({ dataDir, boltPort: port, classpath: provisioned.classpath, startTimeoutMs: 300, logger }),
      );
      expect(error.code).toBe('NEO4J_START_TIMEOUT');
      expect(error.message).toBe(
        `Neo4j did not report ready within 300 ms: see ${dataDir}/logs/debug.log for what it was doing, or raise the start timeout.`,
      );
      expect(pids).toEqual([expect.any(Number)]);
      expect(await goneWithin(pids[0]!, 5_000)).toBe(true);
    } finally {
      // Leave no JVM behind when the check above fails.
      for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
