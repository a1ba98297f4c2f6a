import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const TSX_CLI = path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** The service as `npm start` runs it, as a child process with its own environment. */
export class ServiceProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(env: NodeJS.ProcessEnv) {
    // Run node directly (not npx) so a test can hand the service a PATH without java or mvn on it.
    this.child = spawn(process.execPath, [TSX_CLI, 'src/index.ts'], {
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
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
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

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

/** Runs the service expecting it to fail at start-up; returns its exit code and what it printed. */
export async function failedStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string[]; stdout: string[] }> {
  const service = new ServiceProcess(env);
  const { code } = await service.exited;
  return { code, stderr: service.stderr, stdout: service.stdout };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
