/**
 * The load generator, run as a child process of bench/run.ts (see `LoadGenerator`), so that autocannon
 * never shares an event loop with the servers it measures. It takes one job at a time over IPC, runs
 * autocannon against a 127.0.0.1 URL, and answers with the counts and every response time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  body: string;
  /** Concurrent connections (autocannon `connections`). */
  connections: number;
  durationSec: number;
  /** Stop after this many requests instead of after `durationSec` (for operations too slow to time). */
  amount?: number;
  /** A response whose body differs from this one counts as a mismatch. */
  expectBody?: string;
}

export interface LoadResult {
  /** Responses received with a 2xx status. */
  ok: number;
  non2xx: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** 2xx responses whose body differed from `expectBody`. */
  mismatches: number;
  /** Wall time of the run in ms (autocannon's own measure). */
  durationMs: number;
  /** Response time of each 2xx response, in ms. */
  latencies: number[];
}

type Message = { id: number; job: LoadJob };
type Reply = { id: number; result?: LoadResult; error?: string };

const LOOPBACK = /^http:\/\/127\.0\.0\.1:\d+\//;

function run(job: LoadJob): Promise<LoadResult> {
  if (!LOOPBACK.test(job.url)) return Promise.reject(new Error(`refusing to load ${job.url}: 127.0.0.1 only`));
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon(
      {
        url: job.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: job.body,
        connections: job.connections,
        ...(job.amount !== undefined ? { amount: job.amount } : { duration: job.durationSec }),
        timeout: 30,
        // autocannon checks for the end of a run at each sample tick (1 s by default): tick every 100 ms
        // so that a 0.3 s run lasts 0.3 s, not 1 s.
        sampleInt: 100,
        ...(job.expectBody !== undefined ? { expectBody: job.expectBody } : {}),
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        resolve({
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
          mismatches: (result as unknown as { mismatches?: number }).mismatches ?? 0,
          durationMs: result.duration * 1000,
          latencies,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

/** A handle on the child process; one job at a time. */
export class LoadGenerator {
  private next = 0;
  private readonly pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.result) waiter.resolve(reply.result);
      else waiter.reject(new Error(reply.error ?? 'load generator failed'));
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`load generator exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  /** Forks this file; the child inherits the tsx loader from process.execArgv. */
  static start(): LoadGenerator {
    const child = fork(__filename, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new LoadGenerator(child);
  }

  run(job: LoadJob): Promise<LoadResult> {
    const id = (this.next += 1);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, job } satisfies Message);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

if (require.main === module && process.argv.includes('--child')) {
  process.on('message', (message: Message) => {
    run(message.job).then(
      (result) => process.send?.({ id: message.id, result } satisfies Reply),
      (error: unknown) => process.send?.({ id: message.id, error: String((error as Error)?.message ?? error) } satisfies Reply),
    );
  });
  // The parent closing the channel (or dying) ends this process.
  process.on('disconnect', () => process.exit(0));
}
