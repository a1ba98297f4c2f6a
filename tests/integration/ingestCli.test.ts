/**
 * `npm run ingest` against a real service on loopback: a fixture pair (name.txt + name.json) ingested,
 * again as a dry run, a refused document with its reasons, and a missing token.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTestClient, TEST_AUTH, TEST_KEYS } from '../helpers/graphql';
import { serveOnLoopback, type HttpService } from '../helpers/httpServer';
import { FIXTURES, graphCounts, resetToSeed } from '../helpers/ingest';
import { REPO_ROOT } from '../helpers/service';
import type { Neo4jClient } from '../../src/db/neo4jClient';

let client: Neo4jClient;
let service: HttpService;
let scratch: string;

beforeAll(async () => {
  client = openTestClient();
  await resetToSeed(client);
  service = await serveOnLoopback({ client, config: { env: 'test', introspection: true, auth: TEST_AUTH } });
  scratch = mkdtempSync(path.join(os.tmpdir(), 'kg-ingest-cli-'));
});

afterAll(async () => {
  await service.stop();
  await resetToSeed(client);
  await client.close();
  rmSync(scratch, { recursive: true, force: true });
});

function cli(
  args: string[],
  env: NodeJS.ProcessEnv = { KG_TOKEN: TEST_KEYS.editor },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/ingest/cli.ts', '--url', `${service.url}/graphql`, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const fixture = path.join(FIXTURES, 'london-defence-ministers.txt');

test('a dry run reports what would happen and writes nothing', async () => {
  const before = await graphCounts(client);
  const { code, stdout } = await cli([fixture, '--dry-run']);
  expect(code).toBe(0);
  expect(stdout).toMatch(/Dry run \(nothing written\)/);
  expect(stdout).toMatch(/london-defence-ministers\.txt\s+created\s+2\s+2\s+6\s+1\s+0/);
  expect(await graphCounts(client)).toEqual(before);
});

test('a pair of files is ingested, and the summary table counts its outcomes', async () => {
  const { code, stdout } = await cli([fixture]);
  expect(code).toBe(0);
  expect(stdout).toMatch(/london-defence-ministers\.txt\s+created\s+2\s+2\s+6\s+1\s+0/);
  const again = await cli([path.join(FIXTURES, 'london-defence-ministers.json')]);
  expect(again.stdout).toMatch(/london-defence-ministers\.json\s+known\s+0\s+4\s+0\s+0\s+7/);
});

test('a refused document is listed with its reasons, and the exit code says so', async () => {
  const bad = path.join(scratch, 'bad.json');
  writeFileSync(
    bad,
    JSON.stringify({
      document: { title: 'Bad', text: 'Russia controls the region.' },
      relations: [
        {
          type: 'CONTROLS',
          source: { id: 'russia' },
          target: { id: 'donbas' },
          share: 7,
          evidence: [{ quote: 'not in the text', confidence: 0.5 }],
        },
      ],
    }),
  );
  const { code, stdout } = await cli([bad]);
  expect(code).toBe(1);
  expect(stdout).toMatch(/bad\.json\s+refused/);
  expect(stdout).toContain('input.relations[0].share: must be between 0 and 1');
  expect(stdout).toContain('input.relations[0].evidence[0].quote: is not an exact substring of the document text');
});

test('without KG_TOKEN it says what to set, and with a reader key the document is refused', async () => {
  const missing = await cli([fixture], {});
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/set KG_TOKEN/);
  const reader = await cli([fixture], { KG_TOKEN: TEST_KEYS.reader });
  expect(reader.code).toBe(1);
  expect(reader.stdout).toMatch(/FORBIDDEN/);
});
