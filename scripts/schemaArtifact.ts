/**
 * The subgraph schema as a checked-in artifact, and the breaking-change gate on it. See docs/federation.md.
 *
 *   federation/subgraph.graphql            what `npm run schema:print` prints from schema/*.graphql; must be current
 *   federation/baseline.graphql            the schema as last released; moved only by `npm run schema:baseline`
 *   federation/accepted-breaking-changes.json
 *                                          each breaking change from the baseline to the current schema, with the
 *                                          reason it is acceptable; written by `npm run schema:accept -- --reason ...`
 *
 * Everything here is local and offline: no registry, no network.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { diff, type Change } from '@graphql-inspector/core';
import { parse, type GraphQLSchema } from 'graphql';
import { loadTypeDefs } from '../src/schema';

export const REPO_ROOT = path.resolve(__dirname, '..');

export interface ArtifactPaths {
  /** The SDL sources: every *.graphql file in it. */
  schemaDir: string;
  printed: string;
  baseline: string;
  accepted: string;
}

export function defaultPaths(root = REPO_ROOT): ArtifactPaths {
  return {
    schemaDir: path.join(root, 'schema'),
    printed: path.join(root, 'federation', 'subgraph.graphql'),
    baseline: path.join(root, 'federation', 'baseline.graphql'),
    accepted: path.join(root, 'federation', 'accepted-breaking-changes.json'),
  };
}

const PRINTED_HEADER =
  '# The subgraph schema of this service, as a router or `rover subgraph publish` should see it.\n' +
  '# Generated from schema/*.graphql by `npm run schema:print`; do not edit. `npm run schema:check` fails when it is stale.\n\n';
const BASELINE_HEADER =
  '# The subgraph schema as last released: breaking changes are measured against it (see docs/federation.md).\n' +
  '# Moved forward only by `npm run schema:baseline`; do not edit.\n\n';

/**
 * The subgraph SDL of the sources in `schemaDir`, printed by @apollo/subgraph's printSubgraphSchema. Resolvers
 * do not change the printed schema, so none are loaded: the result equals printSubgraphSchema(buildSchema()).
 */
export function printSubgraphSdl(schemaDir: string): string {
  return printSubgraphSchema(buildSubgraphSchema([{ typeDefs: loadTypeDefs(schemaDir) }]));
}

/** The contents of federation/subgraph.graphql for the given sources. */
export function printedArtifact(schemaDir: string): string {
  return PRINTED_HEADER + printSubgraphSdl(schemaDir) + '\n';
}

function schemaFromArtifact(text: string): GraphQLSchema {
  return buildSubgraphSchema(parse(text));
}

export type Level = 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';

export interface SchemaChange {
  /** graphql-inspector's change type, e.g. FIELD_REMOVED. */
  type: string;
  /** Schema coordinate, e.g. Country.leaders. */
  path: string;
  message: string;
  level: Level;
}

/**
 * Federation makes two directive removals breaking that graphql-inspector calls merely dangerous: without
 * `@key` other subgraphs can no longer reference or extend the type, and without `@shareable` a value type
 * that another subgraph also defines no longer composes.
 */
const FEDERATION_BREAKING_DIRECTIVES = ['key', 'shareable'];

/** Directives whose use shapes the supergraph; a change to where they are applied matters to other subgraphs. */
const FEDERATION_DIRECTIVES = new Set([
  'key',
  'shareable',
  'external',
  'requires',
  'provides',
  'override',
  'inaccessible',
  'tag',
  'interfaceObject',
  'composeDirective',
  'authenticated',
  'requiresScopes',
  'policy',
  'context',
  'fromContext',
  'cost',
  'listSize',
  'link',
]);

function appliedDirective(change: Change): string | undefined {
  if (!change.type.startsWith('DIRECTIVE_USAGE_')) return undefined;
  // Paths look like `Country.@key` or, for a change to an argument of the directive, `Country.@key.fields`.
  return /\.@([_A-Za-z][_0-9A-Za-z]*)(\.[_A-Za-z][_0-9A-Za-z]*)?$/.exec(change.path ?? '')?.[1];
}

function levelOf(change: Change): Level {
  const level = change.criticality.level as Level;
  const directive = appliedDirective(change);
  if (directive === undefined) return level;
  if (
    FEDERATION_BREAKING_DIRECTIVES.includes(directive) &&
    (change.type.endsWith('_REMOVED') || change.type.startsWith('DIRECTIVE_USAGE_ARGUMENT'))
  ) {
    // Removed, or its arguments changed (other key fields): references other subgraphs send no longer fit.
    return 'BREAKING';
  }
  // Other applied directives (such as @cacheControl) are invisible to clients: introspection does not show them.
  if (!FEDERATION_DIRECTIVES.has(directive) && level === 'DANGEROUS') return 'NON_BREAKING';
  return level;
}

/** Every change from `baseline` to `current` (both subgraph SDL), as graphql-inspector reports it, in a stable order. */
export async function compareSchemas(baseline: string, current: string): Promise<SchemaChange[]> {
  const changes = await diff(schemaFromArtifact(baseline), schemaFromArtifact(current));
  return changes
    .map((change) => ({ type: change.type, path: change.path ?? '', message: change.message, level: levelOf(change) }))
    .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

export interface AcceptedChange {
  type: string;
  path: string;
  /** graphql-inspector's wording, for the reader; matching uses type and path. */
  message: string;
  /** Why the change is acceptable: who was told, what migrates, when it ships. */
  reason: string;
  acceptedOn: string;
}

export function keyOf(change: { type: string; path: string }): string {
  return `${change.type} ${change.path}`;
}

export function readAccepted(file: string): AcceptedChange[] {
  if (!existsSync(file)) return [];
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { accepted?: unknown };
  if (!Array.isArray(parsed.accepted)) throw new Error(`${file} must be {"accepted": [...]}`);
  for (const entry of parsed.accepted as Partial<AcceptedChange>[]) {
    if (
      typeof entry.type !== 'string' ||
      typeof entry.path !== 'string' ||
      typeof entry.reason !== 'string' ||
      entry.reason.trim() === ''
    ) {
      throw new Error(`${file}: every accepted change needs a type, a path and a non-empty reason; got ${JSON.stringify(entry)}`);
    }
  }
  return parsed.accepted as AcceptedChange[];
}

function writeAccepted(file: string, accepted: AcceptedChange[]): void {
  const sorted = [...accepted].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  writeFileSync(
    file,
    JSON.stringify(
      {
        $comment:
          'Breaking changes from federation/baseline.graphql to federation/subgraph.graphql that were accepted on purpose. Written by `npm run schema:accept -- --reason "..."`; emptied by `npm run schema:baseline`. See docs/federation.md.',
        accepted: sorted,
      },
      null,
      2,
    ) + '\n',
  );
}

export interface CheckReport {
  /** federation/subgraph.graphql differs from what the sources print (or is missing). */
  stale: boolean;
  /** federation/baseline.graphql is missing. */
  missingBaseline: boolean;
  /** Breaking changes from the baseline to the current sources, acknowledged or not. */
  breaking: SchemaChange[];
  /** Breaking changes with no entry in the acknowledgement file: these fail the check. */
  unacknowledged: SchemaChange[];
  /** Acknowledgements that match no breaking change any more: these fail the check too, so the file stays true. */
  obsoleteAcknowledgements: AcceptedChange[];
  dangerous: SchemaChange[];
  safe: SchemaChange[];
  ok: boolean;
}

/** The whole check, against the current sources (not the possibly stale printed file). */
export async function checkSchema(paths: ArtifactPaths): Promise<CheckReport> {
  const current = printedArtifact(paths.schemaDir);
  const stale = !existsSync(paths.printed) || readFileSync(paths.printed, 'utf8') !== current;
  const missingBaseline = !existsSync(paths.baseline);
  const changes = missingBaseline ? [] : await compareSchemas(readFileSync(paths.baseline, 'utf8'), current);
  const breaking = changes.filter((c) => c.level === 'BREAKING');
  const accepted = readAccepted(paths.accepted);
  const acceptedKeys = new Set(accepted.map(keyOf));
  const breakingKeys = new Set(breaking.map(keyOf));
  const unacknowledged = breaking.filter((c) => !acceptedKeys.has(keyOf(c)));
  const obsoleteAcknowledgements = accepted.filter((a) => !breakingKeys.has(keyOf(a)));
  return {
    stale,
    missingBaseline,
    breaking,
    unacknowledged,
    obsoleteAcknowledgements,
    dangerous: changes.filter((c) => c.level === 'DANGEROUS'),
    safe: changes.filter((c) => c.level === 'NON_BREAKING'),
    ok: !stale && !missingBaseline && unacknowledged.length === 0 && obsoleteAcknowledgements.length === 0,
  };
}

/** Writes federation/subgraph.graphql; true when it changed. */
export function writePrinted(paths: ArtifactPaths): boolean {
  const current = printedArtifact(paths.schemaDir);
  const before = existsSync(paths.printed) ? readFileSync(paths.printed, 'utf8') : undefined;
  if (before === current) return false;
  writeFileSync(paths.printed, current);
  return true;
}

/**
 * Records every current breaking change in the acknowledgement file: entries already there keep their
 * reason, new ones get `reason`, entries that no longer match a change are dropped. Prints the artifact too.
 */
export async function acceptBreakingChanges(
  paths: ArtifactPaths,
  reason: string,
  today = new Date(),
): Promise<{ added: SchemaChange[]; dropped: AcceptedChange[] }> {
  if (reason.trim() === '')
    throw new Error('A reason is required: npm run schema:accept -- --reason "why this breaking change is acceptable"');
  writePrinted(paths);
  const report = await checkSchema(paths);
  if (report.missingBaseline) throw new Error(`${paths.baseline} is missing: run npm run schema:baseline first`);
  const accepted = readAccepted(paths.accepted);
  const byKey = new Map(accepted.map((a) => [keyOf(a), a]));
  const acceptedOn = today.toISOString().slice(0, 10);
  const kept = report.breaking.map(
    (change) =>
      byKey.get(keyOf(change)) ?? { type: change.type, path: change.path, message: change.message, reason: reason.trim(), acceptedOn },
  );
  writeAccepted(paths.accepted, kept);
  return { added: report.unacknowledged, dropped: report.obsoleteAcknowledgements };
}

/** Makes the current schema the released baseline and empties the acknowledgements (they are part of it now). */
export function moveBaseline(paths: ArtifactPaths): void {
  writePrinted(paths);
  writeFileSync(paths.baseline, BASELINE_HEADER + printSubgraphSdl(paths.schemaDir) + '\n');
  writeAccepted(paths.accepted, []);
}
