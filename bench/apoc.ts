/**
 * APOC core for the @neo4j/graphql target: resolved from Maven Central by bench/pom.xml into the git-ignored
 * .cache/apoc, once; later runs reuse it without Maven or network. Jars are never committed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../src/db/embedded/provision';

/** The newest apoc-core 5.26.x on Maven Central, the APOC line of Neo4j 5.26. */
export const APOC_VERSION = '5.26.19';

export async function provisionApoc(onProgress: (line: string) => void = () => undefined): Promise<string> {
  const root = repoRoot();
  const dir = path.join(root, '.cache', 'apoc');
  const marker = path.join(dir, `apoc-core-${APOC_VERSION}.jar`);
  if (existsSync(marker) && existsSync(path.join(dir, `apoc-common-${APOC_VERSION}.jar`))) return dir;
  onProgress(`Resolving APOC core ${APOC_VERSION} with Maven into ${dir}`);
  const args = [
    '-f',
    path.join(root, 'bench', 'pom.xml'),
    '-B',
    '-q',
    '-Dstyle.color=never',
    `-Dapoc.version=${APOC_VERSION}`,
    `-DoutputDir=${dir}`,
    `-DbuildDir=${path.join(root, '.cache', 'apoc-build')}`,
    'package',
  ];
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0 || !existsSync(marker)) {
    const error =
      output
        .join('')
        .split('\n')
        .find((line) => line.includes('[ERROR]')) ?? `mvn exited with ${code}`;
    throw new Error(`Could not resolve APOC ${APOC_VERSION} from Maven Central: ${error.trim()}`);
  }
  return dir;
}
