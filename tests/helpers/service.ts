import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The service as `npm start` runs it, as a child process with its own environment. */
export class ServiceProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<ServiceExit>;
  private readonly child: ChildProcess;
  private running = true;

  constructor(env: NodeJS.ProcessEnv) {
    // node with tsx's loader, as `npm start` runs it but in one process: not npx, so a test can hand the service
    // a PATH without java or mvn on it; not the tsx CLI, which runs the service in a child of its own, so that
    // `pid` is the service's and killing it leaves no orphan.
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
      cwd: REPO_ROOT,
      env: { LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (sink: string[]) => (chunk: Buffer) =>
      sink.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l.length > 0),
      );
    this.child.stdout!.on('data', collect(this.stdout));
    this.child.stderr!.on('data', collect(this.stderr));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.running = false;
        resolve({ code, signal });
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The structured log lines so far. */
  logs(): Record<string, unknown>[] {
    return this.stdout.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /** Resolves with the first log line whose msg matches; rejects if the process exits first. */
  async waitForLog(msg: RegExp, timeoutMs = 120_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (Date.now() < deadline) {
      const line = this.logs().find((l) => typeof l.msg === 'string' && msg.test(l.msg));
      if (line) return line;
      if (exited) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no log line matching ${msg}; stdout:\n${this.stdout.join('\n')}\nstderr:\n${this.stderr.join('\n')}`);
  }

  /** How the process exited; rejects if it still runs after `timeoutMs`, so a test can clean up in time. */
  async waitForExit(timeoutMs = 45_000): Promise<ServiceExit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `the service still runs after ${timeoutMs} ms; stdout:\n${this.stdout.join('\n')}\nstderr:\n${this.stderr.join('\n')}`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /**
   * For `finally` blocks: kills the service and every embedded Neo4j it started (their pids are in its log)
   * that still run, so a failed assertion leaves no process behind.
   */
  async killAll(): Promise<void> {
    const neo4jPids = this.logs()
      .filter((line) => line.msg === 'Starting embedded Neo4j' && typeof line.pid === 'number')
      .map((line) => line.pid as number);
    if (this.running) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    for (const pid of neo4jPids) {
      if (!isAlive(pid)) continue;
      process.kill(pid, 'SIGKILL');
      await goneWithin(pid, 10_000);
    }
  }
}

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs the service expecting it to fail at start-up; returns its exit code and what it printed. */
export async function failedStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string[]; stdout: string[] }> {
  const service = new ServiceProcess(env);
  try {
    const { code } = await service.waitForExit();
    return { code, stderr: service.stderr, stdout: service.stdout };
  } finally {
    await service.killAll();
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether the process is gone within `timeoutMs` (it may take a moment to exit after a signal). */
export async function goneWithin(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
