/**
 * Runs Neo4j Community 5.26 as a child Java process (kg.neo4j.EmbeddedNeo4j, see neo4j/), listening for
 * Bolt on 127.0.0.1 only, with authentication disabled (acceptable only because of the loopback bind:
 * any local user of the machine can connect, so do not use this on shared hosts).
 *
 * Lifetime: the child is stopped by stop() (SIGTERM, then SIGKILL after stopTimeoutMs), by a
 * process 'exit' hook of this Node process, and, if Node dies without running hooks (SIGKILL, crash),
 * by the launcher itself when its stdin (a pipe from this process) reaches EOF. So no orphan JVM stays.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { javaMissingError, portInUseError, StartupError } from './errors';
import { LAUNCHER_MAIN_CLASS, provisionNeo4j, type ProvisionOptions } from './provision';

export const LOOPBACK_HOST = '127.0.0.1';
export const DEFAULT_BOLT_PORT = 7687;
export const DEFAULT_HEAP_MB = 512;
export const DEFAULT_PAGE_CACHE_MB = 256;
export const DEFAULT_START_TIMEOUT_MS = 120_000;
export const DEFAULT_STOP_TIMEOUT_MS = 30_000;

/** The subset of a pino logger used here. */
export type EmbeddedNeo4jLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface EmbeddedNeo4jOptions {
  /** Neo4j home: data/ and logs/ are created inside. Created if missing. */
  dataDir: string;
  /** Bolt port on 127.0.0.1. Default 7687. 0 lets the OS pick (the actual port is in the returned uri). */
  boltPort?: number;
  /** JVM heap (-Xms and -Xmx). Default 512. */
  heapMb?: number;
  /** Neo4j page cache. Default 256. */
  pageCacheMb?: number;
  /** Where provisioned jars live. Default <repo>/.cache/neo4j. */
  cacheDir?: string;
  logger?: EmbeddedNeo4jLogger;
  /** Called once if the child exits after a successful start without stop() having been called. */
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  /** How long to wait for the READY line. Default 120 s. */
  startTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. Default 30 s. */
  stopTimeoutMs?: number;
  /** Java executable. Default $JAVA_HOME/bin/java when JAVA_HOME is set, else "java" from PATH. */
  javaCommand?: string;
  /** Maven executable used when the jars must be provisioned. Default "mvn". */
  mvnCommand?: string;
  /** Extra mvn args for provisioning (see ProvisionOptions.mvnArgs). */
  mvnArgs?: string[];
  /** Progress of a first-time provisioning (mvn downloads). Default: logger.info. */
  onProgress?: (line: string) => void;
  /** Use this Java classpath instead of provisioning (advanced / tests). */
  classpath?: string;
  /**
   * Require authentication (user neo4j, password neo4j, to be changed on first login). Off by default:
   * Bolt listens on loopback only. Tests switch it on to exercise refused credentials.
   */
  auth?: boolean;
  /** Extra JVM options, appended after the defaults. */
  jvmArgs?: string[];
  /**
   * A directory of Neo4j procedure plugin jars (e.g. APOC core) to load, put on the classpath and used as
   * the plugin directory as the Neo4j server does; `apoc.*` procedures then run unrestricted. Default:
   * none, no plugin is loaded.
   */
  pluginsDir?: string;
}

export interface EmbeddedNeo4j {
  /** bolt://127.0.0.1:PORT */
  uri: string;
  pid: number;
  /** Stops the DBMS gracefully (SIGTERM, SIGKILL after stopTimeoutMs); resolves once the process has exited. */
  stop(): Promise<void>;
  /** Sends the process a signal; an exit it causes is unexpected (onUnexpectedExit), unlike `stop`. */
  kill(signal: NodeJS.Signals): void;
}

/**
 * JVM flags the Neo4j 5 server launcher also sets; without the --add-opens Neo4j falls back to slower
 * code paths (e.g. "Reflection access to java.nio.DirectByteBuffer is not available").
 */
const DEFAULT_JVM_ARGS = [
  '-XX:+UseG1GC',
  '-XX:-OmitStackTraceInFastThrow',
  '-XX:+DisableExplicitGC',
  '-Djdk.nio.maxCachedBufferSize=1024',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Dlog4j2.disable.jmx=true',
  '-Dfile.encoding=UTF-8',
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
];

interface JavaCommand {
  command: string;
  source: 'path' | 'java_home' | 'option';
}

export function resolveJavaCommand(javaCommand?: string): JavaCommand {
  if (javaCommand) return { command: javaCommand, source: 'option' };
  const javaHome = process.env['JAVA_HOME'];
  if (javaHome) return { command: path.join(javaHome, 'bin', 'java'), source: 'java_home' };
  return { command: 'java', source: 'path' };
}

/** Throws JAVA_MISSING unless `java -version` runs and reports 17 or newer. Returns the major version. */
export function checkJava(java: JavaCommand): number {
  const result = spawnSync(java.command, ['-version'], { encoding: 'utf8', timeout: 30_000 });
  if (result.error || result.status !== 0) throw javaMissingError(java.command, java.source);
  const output = `${result.stderr ?? ''}\n${result.stdout ?? ''}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return 0; // unknown format: let the launcher try
  let major = Number(match[1]);
  if (major === 1 && match[2]) major = Number(match[2]); // "1.8.0_x"
  if (major < 17) throw javaMissingError(java.command, java.source, major);
  return major;
}

/** Throws PORT_IN_USE if the port cannot be bound on 127.0.0.1. */
export async function assertPortFree(port: number, host = LOOPBACK_HOST): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') reject(portInUseError(port, host));
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function findFreePort(host = LOOPBACK_HOST): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not determine a free port'))));
    });
  });
}

export async function startEmbeddedNeo4j(options: EmbeddedNeo4jOptions): Promise<EmbeddedNeo4j> {
  const logger = options.logger;
  const boltPort = options.boltPort ?? DEFAULT_BOLT_PORT;
  const heapMb = options.heapMb ?? DEFAULT_HEAP_MB;
  const pageCacheMb = options.pageCacheMb ?? DEFAULT_PAGE_CACHE_MB;
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  const dataDir = path.resolve(options.dataDir);
  const debugLog = path.join(dataDir, 'logs', 'debug.log');

  const java = resolveJavaCommand(options.javaCommand);
  checkJava(java);
  await assertPortFree(boltPort);

  let classpath = options.classpath;
  if (classpath === undefined) {
    const provisionOptions: ProvisionOptions = {
      onProgress: options.onProgress ?? ((line) => logger?.info(line)),
    };
    if (options.cacheDir !== undefined) provisionOptions.cacheDir = options.cacheDir;
    if (options.mvnCommand !== undefined) provisionOptions.mvnCommand = options.mvnCommand;
    if (options.mvnArgs !== undefined) provisionOptions.mvnArgs = options.mvnArgs;
    classpath = (await provisionNeo4j(provisionOptions)).classpath;
  }

  // As in the Neo4j server: plugin jars are on the classpath too, so their kernel extensions (APOC's
  // thread pools, for one) are found, and the plugin dir is scanned for procedures.
  if (options.pluginsDir !== undefined) classpath = [classpath, path.join(path.resolve(options.pluginsDir), '*')].join(path.delimiter);

  const args = [
    `-Xms${heapMb}m`,
    `-Xmx${heapMb}m`,
    ...DEFAULT_JVM_ARGS,
    ...(options.jvmArgs ?? []),
    '-cp',
    classpath,
    LAUNCHER_MAIN_CLASS,
    '--home',
    dataDir,
    '--port',
    String(boltPort),
    '--pagecache',
    `${pageCacheMb}M`,
    '--auth',
    String(options.auth ?? false),
    ...(options.pluginsDir !== undefined ? ['--plugins', path.resolve(options.pluginsDir)] : []),
  ];
  const startedAt = Date.now();

  let child: ChildProcess;
  try {
    // stdin stays an open pipe for the child's whole life: its EOF tells the launcher to shut down.
    child = spawn(java.command, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: process.cwd() });
  } catch {
    throw javaMissingError(java.command, java.source);
  }
  // Logged once spawned, with the pid, so a process that never gets ready can still be traced.
  logger?.info({ dataDir, boltPort, heapMb, pageCacheMb, pid: child.pid }, 'Starting embedded Neo4j');

  const stderrTail: string[] = [];
  let errorLine: string | undefined;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  // 'close' comes after 'exit' once stdout/stderr are drained (stdin is not counted).
  const closePromise = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // Keep an EPIPE on stdin (child gone) from becoming an uncaught error.
  child.stdin?.on('error', () => undefined);

  // Make sure the child does not outlive this process (stdin EOF covers the cases where hooks do not run).
  const onProcessExit = (): void => {
    if (!exited) child.kill('SIGTERM');
  };
  process.once('exit', onProcessExit);
  void exitPromise.then(() => process.removeListener('exit', onProcessExit));

  if (child.stderr) {
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (raw) => {
      const line = raw.trim();
      if (!line) return;
      stderrTail.push(line);
      if (stderrTail.length > 50) stderrTail.shift();
      if (line.startsWith('NEO4J_ERROR ')) {
        errorLine ??= line.slice('NEO4J_ERROR '.length);
        logger?.error({ neo4j: errorLine }, 'Embedded Neo4j error');
      } else {
        logger?.warn({ neo4jStderr: line }, 'Embedded Neo4j stderr');
      }
    });
  }

  let readyUri: string | undefined;
  const readyPromise = new Promise<string>((resolve) => {
    if (!child.stdout) return;
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      const ready = /^NEO4J_READY (bolt:\/\/\S+)/.exec(line.trim());
      if (ready?.[1]) {
        readyUri = ready[1];
        resolve(ready[1]);
      } else if (line.trim() === 'NEO4J_STOPPED') {
        logger?.info('Embedded Neo4j stopped');
      } else if (line.trim()) {
        logger?.debug({ neo4jStdout: line }, 'Embedded Neo4j stdout');
      }
    });
  });

  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  let stopping = false;
  const stop = async (): Promise<void> => {
    stopping = true;
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!exited) {
        logger?.warn({ pid: child.pid, stopTimeoutMs }, 'Embedded Neo4j did not stop in time; killing it');
        child.kill('SIGKILL');
      }
    }, stopTimeoutMs);
    try {
      await exitPromise;
    } finally {
      clearTimeout(timer);
      child.stdin?.destroy();
    }
  };

  let timeoutHandle: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timeoutHandle = setTimeout(() => resolve('timeout'), startTimeoutMs);
  });

  const outcome = await Promise.race([
    readyPromise.then((uri) => ({ kind: 'ready' as const, uri })),
    exitPromise.then(() => ({ kind: 'exit' as const })),
    spawnError.then((error) => ({ kind: 'spawn-error' as const, error })),
    timeout.then(() => ({ kind: 'timeout' as const })),
  ]);
  clearTimeout(timeoutHandle);

  if (outcome.kind === 'spawn-error') {
    const code = (outcome.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') throw javaMissingError(java.command, java.source);
    throw new StartupError('NEO4J_START_FAILED', `Could not start Java for Neo4j: ${outcome.error.message}.`, {
      cause: outcome.error,
    });
  }

  if (outcome.kind === 'timeout') {
    await stop();
    throw new StartupError(
      'NEO4J_START_TIMEOUT',
      `Neo4j did not report ready within ${startTimeoutMs >= 1000 ? `${Math.round(startTimeoutMs / 1000)} s` : `${startTimeoutMs} ms`}: see ${debugLog} for what it was doing, or raise the start timeout.`,
      { hint: stderrTail.at(-1) },
    );
  }

  if (outcome.kind === 'exit') {
    // Let the stderr reader deliver the last lines written before exit (bounded, in case a grandchild holds the pipe).
    await Promise.race([closePromise, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    await new Promise((resolve) => setImmediate(resolve));
    throw startFailedError(exited, errorLine ?? stderrTail.at(-1), debugLog, boltPort);
  }

  const uri = outcome.uri;
  const pid = child.pid ?? -1;
  logger?.info({ uri, pid, startupMs: Date.now() - startedAt }, 'Embedded Neo4j is ready');

  void exitPromise.then(() => {
    if (stopping || !readyUri) return;
    const info = exited ?? { code: null, signal: null };
    logger?.error(
      { code: info.code, signal: info.signal, lastStderr: errorLine ?? stderrTail.at(-1) },
      'Embedded Neo4j exited unexpectedly',
    );
    options.onUnexpectedExit?.(info.code, info.signal);
  });

  return { uri, pid, stop, kill: (signal) => void child.kill(signal) };
}

function startFailedError(
  exited: { code: number | null; signal: NodeJS.Signals | null } | undefined,
  lastLine: string | undefined,
  debugLog: string,
  port: number,
): StartupError {
  if (lastLine && /address already in use|BindException/i.test(lastLine)) {
    return portInUseError(port);
  }
  const how = exited?.signal ? `signal ${exited.signal}` : `exit code ${String(exited?.code ?? 'unknown')}`;
  const detail = lastLine ? `: ${lastLine.replace(/[.\s]+$/, '')}` : '';
  return new StartupError('NEO4J_START_FAILED', `Neo4j exited before it was ready (${how})${detail}. See ${debugLog} for details.`, {
    hint: `Neo4j logs: ${debugLog}`,
  });
}
