/**
 * Resolves the jars of the embedded Neo4j (Community, 5.26 LTS) from Maven Central with the machine's
 * `mvn`, and builds the small launcher in neo4j/ (kg.neo4j.EmbeddedNeo4j).
 *
 * Layout of the cache dir (default <repo>/.cache/neo4j, git-ignored):
 *   kg-neo4j-launcher.jar   the launcher
 *   lib/*.jar               Neo4j and its runtime dependencies
 *   build/                  Maven's scratch dir
 *   provisioned.json        marker: { neo4jVersion, sourceHash }; present only after a complete run
 *
 * When the marker matches (same Neo4j version, same launcher sources) and the jars are there,
 * provisioning returns at once without running mvn, so later runs need neither Maven nor network.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { downloadFailedError, mvnMissingError } from './errors';

export const NEO4J_VERSION = '5.26.31';
export const LAUNCHER_MAIN_CLASS = 'kg.neo4j.EmbeddedNeo4j';
export const LAUNCHER_JAR_NAME = 'kg-neo4j-launcher.jar';
const MARKER_FILE = 'provisioned.json';
/**
 * What a first provisioning downloads, measured for 5.26.31: the 213 jars in lib/ are 128.0 MB (`du -sb`:
 * 128,004,716 bytes) and their poms about 1.3 MB. The README states the same figure.
 */
const DOWNLOAD_SIZE = 'about 130 MB';

export interface ProvisionOptions {
  /** Where the jars go. Default: <repo>/.cache/neo4j. */
  cacheDir?: string;
  /** Condensed progress lines (downloads, build steps). Only called when mvn actually runs. */
  onProgress?: (line: string) => void;
  /** Maven executable. Default: "mvn" from PATH. */
  mvnCommand?: string;
  /** Extra mvn arguments, e.g. ['-o', '-Dmaven.repo.local=/tmp/empty'] (appended after ours). */
  mvnArgs?: string[];
  /** Neo4j version to resolve. Default: NEO4J_VERSION. */
  neo4jVersion?: string;
  /** The launcher's pom.xml. Default: <repo>/neo4j/pom.xml. */
  pomPath?: string;
  /** Run mvn even when the marker says the jars are there. */
  force?: boolean;
}

export interface ProvisionResult {
  /** Java classpath for `java -cp`: the launcher jar and lib/* (joined with path.delimiter). */
  classpath: string;
  cacheDir: string;
  launcherJar: string;
  libDir: string;
  neo4jVersion: string;
  /** true when the jars were already there and mvn did not run. */
  fromCache: boolean;
  /** Number of jars in lib/. */
  jarCount: number;
}

interface Marker {
  neo4jVersion: string;
  sourceHash: string;
  provisionedAt: string;
}

/** The repository root: the nearest ancestor of this file that holds neo4j/pom.xml. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(path.join(dir, 'neo4j', 'pom.xml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export function defaultCacheDir(): string {
  return path.join(repoRoot(), '.cache', 'neo4j');
}

export async function provisionNeo4j(options: ProvisionOptions = {}): Promise<ProvisionResult> {
  const cacheDir = path.resolve(options.cacheDir ?? defaultCacheDir());
  const pomPath = path.resolve(options.pomPath ?? path.join(repoRoot(), 'neo4j', 'pom.xml'));
  const neo4jVersion = options.neo4jVersion ?? NEO4J_VERSION;
  const mvnCommand = options.mvnCommand ?? 'mvn';
  const onProgress = options.onProgress ?? (() => undefined);
  const sourceHash = hashLauncherSources(pomPath);

  if (!options.force) {
    const cached = readProvisioned(cacheDir, neo4jVersion, sourceHash);
    if (cached) return cached;
  }

  await mkdir(cacheDir, { recursive: true });
  const release = await acquireLock(cacheDir, onProgress);
  try {
    // Another process may have provisioned while we waited for the lock.
    if (!options.force) {
      const cached = readProvisioned(cacheDir, neo4jVersion, sourceHash);
      if (cached) return cached;
    }
    return await provisionLocked(cacheDir, pomPath, neo4jVersion, sourceHash, mvnCommand, options.mvnArgs ?? [], onProgress);
  } finally {
    await release();
  }
}

async function provisionLocked(
  cacheDir: string,
  pomPath: string,
  neo4jVersion: string,
  sourceHash: string,
  mvnCommand: string,
  mvnArgs: string[],
  onProgress: (line: string) => void,
): Promise<ProvisionResult> {
  // Start from a clean slate so jars of another version never linger in lib/.
  await rm(path.join(cacheDir, MARKER_FILE), { force: true });
  await rm(path.join(cacheDir, 'lib'), { recursive: true, force: true });
  await rm(path.join(cacheDir, LAUNCHER_JAR_NAME), { force: true });

  const args = [
    '-f',
    pomPath,
    '-B',
    '-Dstyle.color=never',
    `-Dneo4j.version=${neo4jVersion}`,
    `-DoutputDir=${cacheDir}`,
    `-DbuildDir=${path.join(cacheDir, 'build')}`,
    '-Dmaven.test.skip=true',
    ...mvnArgs,
    // copy-dependencies is bound to the package phase in the pom (no plugin-prefix lookup needed).
    'package',
  ];
  onProgress(`Resolving Neo4j ${neo4jVersion} with Maven into ${cacheDir} (the first run downloads ${DOWNLOAD_SIZE})`);
  await runMaven(mvnCommand, args, neo4jVersion, onProgress);

  const result = describeCache(cacheDir, neo4jVersion, false);
  if (!result) {
    throw downloadFailedError(neo4jVersion, `mvn succeeded but ${LAUNCHER_JAR_NAME} or lib/ is missing in ${cacheDir}`);
  }
  const marker: Marker = { neo4jVersion, sourceHash, provisionedAt: new Date().toISOString() };
  await writeFile(path.join(cacheDir, MARKER_FILE), JSON.stringify(marker, null, 2) + '\n');
  onProgress(`Neo4j ${neo4jVersion} is ready: ${result.jarCount} jars in ${result.libDir}`);
  return result;
}

function readProvisioned(cacheDir: string, neo4jVersion: string, sourceHash: string): ProvisionResult | undefined {
  let marker: Partial<Marker>;
  try {
    marker = JSON.parse(readFileSync(path.join(cacheDir, MARKER_FILE), 'utf8')) as Partial<Marker>;
  } catch {
    return undefined;
  }
  if (marker.neo4jVersion !== neo4jVersion || marker.sourceHash !== sourceHash) return undefined;
  return describeCache(cacheDir, neo4jVersion, true);
}

function describeCache(cacheDir: string, neo4jVersion: string, fromCache: boolean): ProvisionResult | undefined {
  const launcherJar = path.join(cacheDir, LAUNCHER_JAR_NAME);
  const libDir = path.join(cacheDir, 'lib');
  let jarCount: number;
  try {
    if (!statSync(launcherJar).isFile()) return undefined;
    jarCount = readdirSync(libDir).filter((f) => f.endsWith('.jar')).length;
  } catch {
    return undefined;
  }
  if (jarCount === 0 || !existsSync(path.join(libDir, `neo4j-${neo4jVersion}.jar`))) return undefined;
  return {
    classpath: [launcherJar, path.join(libDir, '*')].join(path.delimiter),
    cacheDir,
    launcherJar,
    libDir,
    neo4jVersion,
    fromCache,
    jarCount,
  };
}

const LOCK_FILE = '.provision.lock';
const LOCK_WAIT_MS = 15 * 60_000;

/**
 * A lock file (holding our pid) so two processes sharing a cache dir do not run mvn over each other.
 * A lock whose pid is gone is taken over.
 */
async function acquireLock(cacheDir: string, onProgress: (line: string) => void): Promise<() => Promise<void>> {
  const lockPath = path.join(cacheDir, LOCK_FILE);
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announced = false;
  for (;;) {
    try {
      await writeFile(lockPath, String(process.pid), { flag: 'wx' });
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(await readFile(lockPath, 'utf8').catch(() => ''));
    const valid = Number.isInteger(holder) && holder > 0;
    // An empty lock may be one being written right now; only a stale one (>10 s) is taken over.
    const stale = valid ? !processAlive(holder) : lockAgeMs(lockPath) > 10_000;
    if (stale) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw downloadFailedError(NEO4J_VERSION, `another provisioning (pid ${holder}) still holds ${lockPath}`);
    }
    if (!announced) {
      onProgress(`Waiting for another provisioning of ${cacheDir} (pid ${holder}) to finish`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function lockAgeMs(lockPath: string): number {
  try {
    return Date.now() - statSync(lockPath).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Hash of the launcher's pom and Java sources: a changed launcher is rebuilt even if the version is the same. */
function hashLauncherSources(pomPath: string): string {
  const hash = createHash('sha256');
  const files: string[] = [pomPath];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.java')) files.push(full);
    }
  };
  walk(path.join(path.dirname(pomPath), 'src', 'main', 'java'));
  for (const file of files) {
    hash.update(path.relative(path.dirname(pomPath), file));
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update('<missing>');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

// ---- running Maven ----

// eslint-disable-next-line no-control-regex -- mvn's colour codes start with the ESC control character
const ANSI = /\u001b\[[0-9;]*m/g;

async function runMaven(command: string, args: string[], neo4jVersion: string, onProgress: (line: string) => void): Promise<void> {
  const condenser = new ProgressCondenser(onProgress);
  const errorLines: string[] = [];
  const tail: string[] = [];

  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });

  const handleLine = (raw: string): void => {
    const line = raw.replace(ANSI, '').trimEnd();
    if (!line) return;
    tail.push(line);
    if (tail.length > 20) tail.shift();
    if (line.startsWith('[ERROR]')) errorLines.push(line.slice('[ERROR]'.length).trim());
    condenser.line(line);
  };
  const stdoutDone = consumeLines(child.stdout, handleLine);
  const stderrDone = consumeLines(child.stderr, handleLine);

  try {
    await spawned;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') throw mvnMissingError(command);
    throw downloadFailedError(neo4jVersion, `could not run ${command}: ${(error as Error).message}`);
  }

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  await Promise.all([stdoutDone, stderrDone]);
  condenser.flush();
  if (exit.code === 0) return;

  const detail =
    pickMavenError(errorLines) ?? tail.at(-1) ?? `mvn exited with ${exit.signal ? `signal ${exit.signal}` : `code ${String(exit.code)}`}`;
  throw downloadFailedError(neo4jVersion, detail);
}

function consumeLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: stream, crlfDelay: Infinity });
    rl.on('line', onLine);
    rl.once('close', () => resolve());
  });
}

/**
 * Maven prints the real cause in the first substantive [ERROR] line ("Failed to execute goal ...")
 * followed by boilerplate (help links, "re-run with -e"). Returns that line without the "-> [Help 1]" tail.
 */
export function pickMavenError(errorLines: string[]): string | undefined {
  const boilerplate =
    /^(To see the full stack trace|Re-run Maven using|For more information about the errors|\[Help \d+\]|After correcting the problems|mvn <args> -rf)/;
  const candidates = errorLines.map((l) => l.trim()).filter((l) => l && !boilerplate.test(l));
  const best = candidates.find((l) => /Failed to execute goal|could not be resolved|Could not resolve/i.test(l)) ?? candidates[0];
  return best?.replace(/\s*->\s*\[Help \d+\]\s*$/, '');
}

/** Turns Maven's chatty transfer log into a few readable lines. */
class ProgressCondenser {
  private descriptors = 0;
  private reportedDescriptors = 0;
  private jars = 0;
  private bytes = 0;

  constructor(private readonly emit: (line: string) => void) {}

  line(line: string): void {
    const text = line.replace(/^\[(INFO|WARNING)\]\s*/, '');
    const downloaded = /^Downloaded from [^:]+: (\S+)(?: \(([\d.]+) (B|kB|KB|MB|GB)(?: at [^)]*)?\))?/.exec(text);
    if (downloaded) {
      const url = downloaded[1] ?? '';
      const file = url.slice(url.lastIndexOf('/') + 1);
      const size = downloaded[2] ? `${downloaded[2]} ${downloaded[3] ?? ''}` : '';
      this.bytes += toBytes(downloaded[2], downloaded[3]);
      if (file.endsWith('.jar')) {
        this.jars += 1;
        this.emit(`Downloaded ${file}${size ? ` (${size})` : ''} [${this.jars} jars, ${formatBytes(this.bytes)} so far]`);
      } else {
        this.descriptors += 1;
        if (this.descriptors % 50 === 0) this.flush();
      }
      return;
    }
    if (/^Downloading from /.test(text)) return;
    const step = /^--- ([\w.-]+):[\w.-]+:([\w-]+) /.exec(text);
    if (step) {
      this.flush();
      if (/^(testResources|testCompile|test)$/.test(step[2] ?? '')) return; // skipped (-Dmaven.test.skip)
      this.emit(`mvn: ${step[1]?.replace(/^maven-|-plugin$/g, '')}:${step[2]}`);
      return;
    }
    if (/^BUILD (SUCCESS|FAILURE)/.test(text)) this.emit(`mvn: ${text}`);
  }

  /** Reports the number of downloaded descriptors (.pom etc.) since the last report, if any. */
  flush(): void {
    if (this.descriptors === this.reportedDescriptors) return;
    this.reportedDescriptors = this.descriptors;
    this.emit(`Downloaded ${this.descriptors} artifact descriptors (.pom)`);
  }
}

function toBytes(n: string | undefined, unit: string | undefined): number {
  if (!n) return 0;
  const value = Number(n);
  switch (unit) {
    case 'kB':
    case 'KB':
      return value * 1024;
    case 'MB':
      return value * 1024 * 1024;
    case 'GB':
      return value * 1024 * 1024 * 1024;
    default:
      return value;
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.round(bytes / 1024)} kB`;
}
