/** CPU profiles of the bench process (node:inspector: the same .cpuprofile `node --cpu-prof` writes), summarised. */
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import * as path from 'node:path';
import { repoRoot } from '../src/db/embedded/provision';

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples?: number[];
}

/** Self time by where the code lives: a package, this service, Node.js itself, or the VM. */
export function selfTimeByArea(profile: CpuProfile): string[] {
  const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0) || 1;
  const areas = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url } = node.callFrame;
    let area: string;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (pkg) area = pkg[1]!.startsWith('neo4j-driver') ? 'neo4j-driver' : pkg[1]!;
    else if (url.includes('/src/')) area = 'this service (src/)';
    else if (url.includes('/bench/')) area = 'bench harness';
    else if (url.startsWith('node:')) area = `node:${url.slice(5).split('/')[0]}`;
    else if (/^\((garbage collector|idle|program|root)\)$/.test(functionName)) area = functionName;
    else area = 'native (socket writes, JSON, ...)';
    areas.set(area, (areas.get(area) ?? 0) + (node.hitCount ?? 0));
  }
  return [...areas.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([area, hits]) => `  ${((hits / total) * 100).toFixed(1).padStart(5)}%  ${area}`);
}

export function topSelfTime(profile: CpuProfile, count = 25): string[] {
  const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0) || 1;
  const byFrame = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, '').replace(`${repoRoot()}/`, '');
    const key = `${functionName || '(anonymous)'}  ${file}${file ? `:${lineNumber + 1}` : ''}`;
    byFrame.set(key, (byFrame.get(key) ?? 0) + (node.hitCount ?? 0));
  }
  return [...byFrame.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, hits]) => `  ${((hits / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
}

/** Samples this process every 200 µs while `work` runs. */
export async function profileDuring<T>(work: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    return { result, profile };
  } finally {
    session.disconnect();
  }
}

/**
 * Writes the profile to bench/results/profiles/<name>.cpuprofile (git-ignored; open it in Chrome DevTools or
 * speedscope), prints `title` with the file, then self time by area and the functions with the most of it.
 */
export async function saveAndSummarise(profile: CpuProfile, name: string, title: string, topCount = 25): Promise<void> {
  const dir = path.join(repoRoot(), 'bench', 'results', 'profiles');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.cpuprofile`);
  await writeFile(file, JSON.stringify(profile));
  console.log(`\n${title}: ${path.relative(repoRoot(), file)}`);
  console.log('Self time by area:');
  for (const line of selfTimeByArea(profile)) console.log(line);
  console.log('Most self time:');
  for (const line of topSelfTime(profile, topCount)) console.log(line);
}
