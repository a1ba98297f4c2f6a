/**
 * Fail fast while the database is down, and notice by itself when it is back.
 *
 * An opossum circuit breaker wraps every statement. It opens when most recent statements failed because the
 * database could not be reached (`unavailabilityOf` with reason `down`; a slow statement or a Cypher error
 * does not count), or when something outside says so (the embedded database is restarting). While it is open,
 * statements fail at once with DatabaseUnavailableError. A background probe, a trivial query with a hard
 * timeout, runs every `probeIntervalMs` all the time: its failures count like any statement's, so a frozen
 * database (which answers nothing, not even errors) opens the breaker within a few probes, and its first
 * success while open closes the breaker. No client request is ever the one that finds out.
 */
import CircuitBreaker from 'opossum';
import type { Logger } from '../logger';
import { DatabaseUnavailableError, unavailabilityOf } from './unavailable';

export interface DatabaseState {
  up: boolean;
  /** Why the database is taken to be down, for `/health/ready` and logs. */
  reason?: string;
  /** When it went down (epoch ms). */
  since?: number;
}

export interface GuardOptions {
  /** A trivial statement that resolves when the database answers. */
  probe: (timeoutMs: number) => Promise<void>;
  probeIntervalMs: number;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

/** Failed probes or statements in a row (within the rolling window) that open the breaker. */
const FAILURES_TO_OPEN = 3;
const ROLLING_WINDOW_MS = 10_000;
/** A probe gets at most this long, so a frozen database fails it rather than holding it. */
const PROBE_TIMEOUT_MS = 2_000;

export class DatabaseGuard {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  private readonly timer: NodeJS.Timeout;
  private probing = false;
  private downSince: number | undefined;
  private reason: string | undefined;
  /** Set while something outside (the embedded database's supervisor) holds the database down. */
  private held: string | undefined;
  /**
   * False until the database has answered once (after start-up, or after a restart): a cold JVM can take
   * seconds over its first queries, and that is not an outage.
   */
  private answered = false;
  /** Probes failed in a row: enough of them open the breaker whatever the statements did before. */
  private probesFailed = 0;

  constructor(private readonly options: GuardOptions) {
    this.breaker = new CircuitBreaker((work: () => Promise<unknown>) => work(), {
      timeout: false,
      volumeThreshold: FAILURES_TO_OPEN,
      errorThresholdPercentage: 50,
      rollingCountTimeout: ROLLING_WINDOW_MS,
      // The probe closes the breaker; no client request is let through to try (opossum's half-open).
      resetTimeout: 2 ** 31 - 1,
      // Only a database that does not answer counts: a statement past its deadline is slow, not down (the
      // probe's own timeout is what finds a frozen database), and a Cypher error is the caller's.
      errorFilter: (error: unknown) => unavailabilityOf(error)?.reason !== 'down',
    });
    this.breaker.on('open', () => {
      this.downSince ??= Date.now();
      options.logger?.warn({ reason: this.reason }, 'the graph database is down: requests fail fast until a probe sees it back');
    });
    this.breaker.on('close', () => {
      const downMs = this.downSince === undefined ? undefined : Date.now() - this.downSince;
      this.downSince = undefined;
      this.reason = undefined;
      options.logger?.info({ downMs }, 'the graph database is back');
    });
    this.timer = setInterval(() => void this.probeOnce(), options.probeIntervalMs);
    this.timer.unref();
  }

  /** Runs a statement, or fails at once while the database is known to be down. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.held !== undefined || this.breaker.opened) throw this.unavailable();
    try {
      const value = (await this.breaker.fire(work)) as T;
      this.answered = true;
      return value;
    } catch (error) {
      if (isOpenBreakerError(error)) throw this.unavailable();
      const unavailable = unavailabilityOf(error);
      if (unavailable) this.reason ??= unavailable.message;
      throw error;
    }
  }

  /** Since when the database has been known to be down (epoch ms), or undefined while it is up. */
  get downSinceMs(): number | undefined {
    return this.state.up ? undefined : this.downSince;
  }

  get state(): DatabaseState {
    if (this.held !== undefined) return { up: false, reason: this.held, since: this.downSince };
    if (this.breaker.opened) return { up: false, reason: this.reason ?? 'the database stopped answering', since: this.downSince };
    return { up: true };
  }

  /** The database is down for a known reason (e.g. being restarted) until `release`. */
  hold(reason: string): void {
    this.held = reason;
    this.answered = false;
    this.downSince ??= Date.now();
  }

  /** The outside reason is gone; the probe decides whether the database answers. */
  release(): void {
    this.held = undefined;
    // Still down until the probe sees it answer; that wait starts now.
    this.downSince = this.breaker.opened ? Date.now() : undefined;
  }

  close(): void {
    clearInterval(this.timer);
    this.breaker.shutdown();
  }

  private unavailable(): DatabaseUnavailableError {
    const { reason } = this.state;
    return new DatabaseUnavailableError(`The graph database is down (${reason ?? 'unknown reason'}); try again shortly.`, 'down');
  }

  private async probeOnce(): Promise<void> {
    if (this.probing || this.held !== undefined) return;
    this.probing = true;
    try {
      const probe = () => this.options.probe(PROBE_TIMEOUT_MS);
      if (this.breaker.opened) {
        await probe();
        this.breaker.close();
      } else if (!this.answered) {
        await probe();
      } else {
        await this.breaker.fire(probe);
      }
      this.answered = true;
      this.probesFailed = 0;
    } catch (error) {
      const unavailable = unavailabilityOf(error);
      if (unavailable && !this.breaker.opened) {
        this.reason = unavailable.message;
        // Statements that succeeded before the outage keep the failure rate low for a while, and requests
        // that wait on an unreachable database are slow to fail: the probe alone decides, after a few tries.
        this.probesFailed += 1;
        if (this.answered && this.probesFailed >= FAILURES_TO_OPEN) this.breaker.open();
      }
    } finally {
      this.probing = false;
    }
  }
}

function isOpenBreakerError(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 'EOPENBREAKER';
}
