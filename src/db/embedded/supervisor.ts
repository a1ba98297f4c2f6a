/**
 * Keeps the embedded Neo4j running: when it exits, or stops answering for longer than the watchdog allows,
 * it is started again on the same port and data, after a backoff (1 s, 2 s, 4 s ... at most 30 s), and each
 * restart is logged. A start that does not live STABLE_MS counts as a failed try; after `maxRestarts` failed
 * tries in a row the supervisor gives up with one line that says what to do.
 */
import type { EmbeddedNeo4j, EmbeddedNeo4jLogger, EmbeddedNeo4jOptions } from './embeddedNeo4j';
import { startEmbeddedNeo4j } from './embeddedNeo4j';

export interface SupervisorOptions {
  /** NEO4J_EMBEDDED_RESTARTS: failed tries in a row before giving up (0: never restart). */
  maxRestarts: number;
  /** NEO4J_EMBEDDED_WATCHDOG_MS: how long the database may be known down while running before it is killed. */
  watchdogMs: number;
  /** Since when the database has been known not to answer (the breaker), or undefined while it answers. */
  downSince: () => number | undefined;
  /** The database is down for this reason, until `onUp`. */
  onDown: (reason: string) => void;
  onUp: () => void;
  /** Called once per restart begun, e.g. for the restarts metric. */
  onRestart?: () => void;
  /** The tries are used up: one line that says what to do. */
  onGiveUp: (message: string) => void;
  logger?: EmbeddedNeo4jLogger;
  /** Test hook: the start function (default startEmbeddedNeo4j). */
  start?: (options: EmbeddedNeo4jOptions) => Promise<EmbeddedNeo4j>;
}

const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
/** A restarted database that lives this long is healthy again: the count of failed tries starts over. */
const STABLE_MS = 60_000;

export interface SupervisedNeo4j extends EmbeddedNeo4j {
  /** Restarts begun so far. */
  readonly restarts: number;
}

export async function superviseEmbeddedNeo4j(embedded: EmbeddedNeo4jOptions, options: SupervisorOptions): Promise<SupervisedNeo4j> {
  const start = options.start ?? startEmbeddedNeo4j;
  const logger = options.logger;
  let stopped = false;
  let restarts = 0;
  let failedInARow = 0;
  let current: EmbeddedNeo4j;
  let startedAt = Date.now();
  let pending: NodeJS.Timeout | undefined;

  const launch = (port: number) => start({ ...embedded, boltPort: port, onUnexpectedExit: (code, signal) => onExit(code, signal) });

  const scheduleRestart = (reason: string) => {
    if (stopped || pending) return;
    failedInARow = Date.now() - startedAt >= STABLE_MS ? 1 : failedInARow + 1;
    if (failedInARow > options.maxRestarts) {
      const tries =
        options.maxRestarts === 0
          ? 'restarts are off (NEO4J_EMBEDDED_RESTARTS=0)'
          : `${options.maxRestarts} restart(s) in a row did not bring it back (NEO4J_EMBEDDED_RESTARTS)`;
      options.onGiveUp(
        `The embedded Neo4j ${reason} and ${tries}: see ${embedded.dataDir}/logs/debug.log, fix the cause, and start the service again.`,
      );
      return;
    }
    const delayMs = Math.min(FIRST_BACKOFF_MS * 2 ** (failedInARow - 1), MAX_BACKOFF_MS);
    options.onDown(`the embedded Neo4j ${reason}; restart ${failedInARow} of ${options.maxRestarts} in ${delayMs} ms`);
    logger?.warn({ reason, attempt: failedInARow, of: options.maxRestarts, delayMs }, 'restarting the embedded Neo4j');
    pending = setTimeout(() => {
      pending = undefined;
      void restart(reason);
    }, delayMs);
  };

  const restart = async (reason: string) => {
    if (stopped) return;
    restarts += 1;
    options.onRestart?.();
    startedAt = Date.now();
    try {
      current = await launch(port);
      if (stopped) {
        await current.stop();
        return;
      }
      logger?.info({ pid: current.pid, restarts, after: reason }, 'the embedded Neo4j was restarted');
      options.onUp();
    } catch (error) {
      scheduleRestart(`could not be started again (${(error as Error).message})`);
    }
  };

  function onExit(code: number | null, signal: NodeJS.Signals | null) {
    scheduleRestart(signal ? `exited on signal ${signal}` : `exited with code ${String(code)}`);
  }

  current = await launch(embedded.boltPort ?? 0);
  // The first start chose the port (0 lets the OS pick): every restart reuses it, so the driver finds it again.
  const port = Number(new URL(current.uri).port);

  const watchdog = setInterval(
    () => {
      const downSince = options.downSince();
      if (stopped || pending || downSince === undefined) return;
      const since = Math.max(downSince, startedAt);
      if (Date.now() - since < options.watchdogMs) return;
      logger?.warn({ pid: current.pid, downMs: Date.now() - since }, 'the embedded Neo4j stopped answering; killing it to restart it');
      current.kill('SIGKILL');
    },
    Math.min(options.watchdogMs, 1_000),
  );
  watchdog.unref();

  return {
    get uri() {
      return current.uri;
    },
    get pid() {
      return current.pid;
    },
    get restarts() {
      return restarts;
    },
    kill: (signal) => current.kill(signal),
    stop: async () => {
      stopped = true;
      clearInterval(watchdog);
      clearTimeout(pending);
      await current.stop();
    },
  };
}
