/**
 * The schema artifact and its breaking-change gate (scripts/schemaArtifact.ts, scripts/schema.ts), on a small
 * subgraph in a temporary folder: print, check, acknowledge, move the baseline.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildSchema } from '../../src/schema';
import { runSchemaCommand } from '../../scripts/schema';
import {
  checkSchema,
  compareSchemas,
  defaultPaths,
  printedArtifact,
  printSubgraphSdl,
  readAccepted,
  type ArtifactPaths,
} from '../../scripts/schemaArtifact';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])';
const V1 = `${LINK}
type Query { country(id: ID!): Country }
type Country @key(fields: "id") { id: ID! name: String! capital: String }
type PageInfo @shareable { hasNextPage: Boolean! }
enum Direction { IN OUT }
`;

let dir: string;
let paths: ArtifactPaths;
let output: string[];

async function run(...argv: string[]): Promise<number> {
  return runSchemaCommand(
    argv,
    paths,
    (text) => output.push(text),
    (text) => output.push(text),
  );
}

function writeSources(sdl: string): void {
  writeFileSync(path.join(paths.schemaDir, 'api.graphql'), sdl);
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kg-schema-artifact-'));
  paths = {
    schemaDir: path.join(dir, 'schema'),
    printed: path.join(dir, 'subgraph.graphql'),
    baseline: path.join(dir, 'baseline.graphql'),
    accepted: path.join(dir, 'accepted.json'),
  };
  mkdirSync(paths.schemaDir);
  writeSources(V1);
  output = [];
  expect(await run('baseline')).toBe(0);
  output = [];
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

test("the committed federation/subgraph.graphql is exactly what the service's own schema prints", () => {
  const committed = readFileSync(defaultPaths().printed, 'utf8');
  const commentHeader = /^(#.*\n)+\n/;
  expect(committed).toMatch(commentHeader);
  expect(committed.replace(commentHeader, '')).toBe(printSubgraphSchema(buildSchema()) + '\n');
  // And it is what `npm run schema:print` writes, header included.
  expect(committed).toBe(printedArtifact(defaultPaths().schemaDir));
});

test('a fresh baseline passes the check', async () => {
  expect(await run('check')).toBe(0);
  expect(output).toContain('schema check passed');
});

test('an additive change only makes the artifact stale until it is printed again', async () => {
  writeSources(V1.replace('capital: String', 'capital: String population: Int'));
  expect(await run('check')).toBe(1);
  expect(output.join('\n')).toMatch(/subgraph\.graphql is stale.*npm run schema:print/);
  expect(await run('print')).toBe(0);
  output = [];
  expect(await run('check')).toBe(0);
  expect(output.join('\n')).toContain('1 safe change(s) since the baseline');
});

test('a breaking change fails even when printed, until it is acknowledged with a reason', async () => {
  writeSources(V1.replace(' capital: String', ''));
  await run('print');
  output = [];
  expect(await run('check')).toBe(1);
  expect(output.join('\n')).toContain("FIELD_REMOVED Country.capital: Field 'capital' was removed from object type 'Country'");

  expect(await run('accept')).toBe(2); // no reason
  expect(await run('accept', '--reason', 'capital moved to the places subgraph; both clients migrated')).toBe(0);
  expect(readAccepted(paths.accepted)).toEqual([
    expect.objectContaining({
      type: 'FIELD_REMOVED',
      path: 'Country.capital',
      reason: 'capital moved to the places subgraph; both clients migrated',
    }),
  ]);
  output = [];
  expect(await run('check')).toBe(0);
  expect(output.join('\n')).toContain('1 breaking change(s) acknowledged');
});

test('an acknowledgement that matches no change any more fails the check', async () => {
  writeSources(V1.replace(' capital: String', ''));
  await run('accept', '--reason=removed on purpose');
  writeSources(V1);
  await run('print');
  output = [];
  expect(await run('check')).toBe(1);
  expect(output.join('\n')).toMatch(/acknowledges change\(s\) that no longer happen[\s\S]*FIELD_REMOVED Country.capital/);
  await run('accept', '--reason', 'unused');
  expect(readAccepted(paths.accepted)).toEqual([]);
  expect(await run('check')).toBe(0);
});

test('moving the baseline takes the accepted changes in and empties the acknowledgements', async () => {
  writeSources(V1.replace(' capital: String', ''));
  await run('accept', '--reason', 'released in 2.0');
  expect(await run('baseline')).toBe(0);
  expect(readAccepted(paths.accepted)).toEqual([]);
  expect(readFileSync(paths.baseline, 'utf8')).not.toContain('capital');
  expect((await checkSchema(paths)).ok).toBe(true);
});

test('removing @key or @shareable is breaking for federation; a new enum value is only dangerous', async () => {
  const base = printSubgraphSdl(paths.schemaDir);
  writeSources(V1.replace(' @key(fields: "id")', ''));
  const noKey = await compareSchemas(base, printSubgraphSdl(paths.schemaDir));
  expect(noKey.filter((c) => c.level === 'BREAKING').map((c) => c.path)).toEqual(expect.arrayContaining(['Country.@key']));

  writeSources(V1.replace('@key(fields: "id")', '@key(fields: "name")'));
  const otherKey = await compareSchemas(base, printSubgraphSdl(paths.schemaDir));
  expect(otherKey.filter((c) => c.level === 'BREAKING').length).toBeGreaterThan(0);

  writeSources(V1.replace('type PageInfo @shareable', 'type PageInfo'));
  expect((await compareSchemas(base, printSubgraphSdl(paths.schemaDir))).map((c) => [c.path, c.level])).toEqual([
    ['PageInfo.@shareable', 'BREAKING'],
  ]);

  writeSources(V1.replace('enum Direction { IN OUT }', 'enum Direction { IN OUT BOTH }'));
  const check = await compareSchemas(base, printSubgraphSdl(paths.schemaDir));
  expect(check.map((c) => [c.type, c.level])).toEqual([['ENUM_VALUE_ADDED', 'DANGEROUS']]);
  await run('print');
  expect(await run('check')).toBe(0);
});

test('applied directives clients cannot see, such as @cacheControl, are safe changes', async () => {
  const withDirective = (sdl: string) =>
    `${sdl}\nenum CacheControlScope { PUBLIC PRIVATE }\ndirective @cacheControl(maxAge: Int, scope: CacheControlScope) on OBJECT | FIELD_DEFINITION\n`;
  writeSources(withDirective(V1));
  const base = printSubgraphSdl(paths.schemaDir);
  writeSources(withDirective(V1.replace('type Country @key(fields: "id")', 'type Country @key(fields: "id") @cacheControl(maxAge: 300)')));
  const changes = await compareSchemas(base, printSubgraphSdl(paths.schemaDir));
  expect(changes.map((c) => c.path)).toContain('Country.@cacheControl');
  expect(changes.every((c) => c.path.startsWith('Country.@cacheControl') && c.level === 'NON_BREAKING')).toBe(true);
});

test('a missing artifact or baseline fails the check', async () => {
  rmSync(paths.baseline);
  rmSync(paths.printed);
  expect(await run('check')).toBe(1);
  expect(output.join('\n')).toMatch(/stale[\s\S]*baseline\.graphql is missing/);
});
