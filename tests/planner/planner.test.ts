/**
 * Planner tests in the style of neo4j/graphql's TCK: a GraphQL operation in, the plan and the Cypher out,
 * with no database. Each fixture in tests/planner/fixtures/*.md holds an operation and what the planner
 * must make of it: the plan of each resolver that produced entities (what it looked ahead at), and the
 * statement it sent first, with its parameters.
 *
 * The operation runs through the real schema, resolvers and planner; only the database is replaced by a
 * recorder that answers every statement with no rows (so only the first level runs, which is where
 * look-ahead puts everything a query selects, down to its depth bound).
 *
 * After a deliberate change to the planner, rewrite the fixtures with `UPDATE_PLANNER_FIXTURES=1 npx jest
 * tests/planner` and read the diff: it is the change in the Cypher every such query sends.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GraphQLResolveInfo } from 'graphql';
import type { Neo4jClient } from '../../src/db/neo4jClient';
import { createContext, createServices } from '../../src/context';
import { createServer, DEFAULT_INGEST_LIMITS } from '../../src/server';
import { Lookahead } from '../../src/planner/selection';
import type { EntityFetch, PageFetch } from '../../src/models/plan';
import { RELATION_TYPES } from '../../src/data/graph';
import { ENTITY_FIELDS, ENTITY_TYPE_NAMES } from '../../src/planner/catalogue';
import { LOOKAHEAD } from '../../src/limits';
import { silentLogger } from '../helpers/graphql';

const FIXTURES = path.join(__dirname, 'fixtures');
const UPDATE = process.env.UPDATE_PLANNER_FIXTURES === '1';

interface Fixture {
  file: string;
  title: string;
  operation: string;
  variables: Record<string, unknown>;
  plan: string;
  cypher: string;
  params: string;
}

const section = (text: string, heading: string, lang: string): string | null => {
  const match = new RegExp(`## ${heading}\\n\\n\`\`\`${lang}\\n([\\s\\S]*?)\\n\`\`\``).exec(text);
  return match ? match[1]! : null;
};

function readFixture(file: string): Fixture {
  const text = readFileSync(path.join(FIXTURES, file), 'utf8');
  const title = /^# (.+)$/m.exec(text)?.[1];
  const operation = section(text, 'Operation', 'graphql');
  if (!title || operation === null) throw new Error(`${file}: needs a "# title" and an "## Operation" graphql block`);
  return {
    file,
    title,
    operation,
    variables: JSON.parse(section(text, 'Variables', 'json') ?? '{}') as Record<string, unknown>,
    plan: section(text, 'Plan', 'text') ?? '',
    cypher: section(text, 'Cypher', 'cypher') ?? '',
    params: section(text, 'Parameters', 'json') ?? '',
  };
}

function writeFixture(fixture: Fixture): void {
  const prose = readFileSync(path.join(FIXTURES, fixture.file), 'utf8').split('\n## Operation')[0]!.trimEnd();
  const variables =
    Object.keys(fixture.variables).length > 0
      ? `\n## Variables\n\n\`\`\`json\n${JSON.stringify(fixture.variables, null, 2)}\n\`\`\`\n`
      : '';
  writeFileSync(
    path.join(FIXTURES, fixture.file),
    `${prose}\n\n## Operation\n\n\`\`\`graphql\n${fixture.operation}\n\`\`\`\n${variables}\n## Plan\n\n\`\`\`text\n${fixture.plan}\n\`\`\`\n\n## Cypher\n\n\`\`\`cypher\n${fixture.cypher}\n\`\`\`\n\n## Parameters\n\n\`\`\`json\n${fixture.params}\n\`\`\`\n`,
  );
}

/** Relation types as a fixture shows them: `*` for every type, else the list. */
const typesOf = (types: readonly string[]) => (RELATION_TYPES.every((t) => types.includes(t)) ? '*' : types.join('|'));

/** A plan as an indented outline: one line per page, its far ends' pages below it. */
export function describeFetch(fetch: EntityFetch, indent = ''): string[] {
  return fetch.pages.flatMap((page: PageFetch) => {
    const { filter, page: p } = page.key;
    const options = [
      `types=${typesOf(filter.types)}`,
      `direction=${filter.direction}`,
      filter.includeDeprecated ? 'includeDeprecated' : null,
      filter.asOf ? `asOf=${filter.asOf}` : null,
      `limit=${p.limit}`,
      p.afterKey ? `after=${p.afterKey}` : null,
      page.kinds ? `kinds=${page.kinds.join('|')}` : null,
      page.count ? 'count' : null,
    ].filter((o) => o !== null);
    const head = `${indent}${page.mode} ${options.join(' ')}`;
    if (page.ends === null) return [head];
    const below = describeFetch(page.ends, `${indent}  `);
    return [head, ...(below.length > 0 ? below : [`${indent}  (far ends alone)`])];
  });
}

/**
 * Cypher laid out one clause per line, subqueries (`COLLECT {`, `COUNT {`, `CALL {`) indented, so that a
 * fixture diff shows what changed. Only white space differs from the statement sent.
 */
export function layOut(cypher: string): string {
  const text = cypher.replace(/\s+/g, ' ').trim();
  const lines: string[] = [];
  const braces: ('query' | 'map')[] = [];
  let depth = 0;
  let line = '';
  const flush = () => {
    if (line.trim()) lines.push(`${'  '.repeat(depth)}${line.trim()}`);
    line = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    const atQueryLevel = braces.length === 0 || braces[braces.length - 1] === 'query';
    const startsClause = /^(OPTIONAL MATCH|MATCH|WITH|RETURN|UNWIND|WHERE|UNION ALL) /.test(text.slice(i)) && !line.endsWith('OPTIONAL ');
    if (atQueryLevel && text[i - 1] === ' ' && startsClause) flush();
    if (char === '{') {
      const opensQuery = /\b(COLLECT|COUNT|CALL|EXISTS) $/.test(line);
      braces.push(opensQuery ? 'query' : 'map');
      line += char;
      if (opensQuery) {
        flush();
        depth += 1;
      }
      continue;
    }
    if (char === '}' && braces.pop() === 'query') {
      flush();
      depth -= 1;
    }
    line += char;
  }
  flush();
  return lines.join('\n');
}

/** Parameters as JSON, neo4j integers as numbers. */
const paramsJson = (params: Record<string, unknown>) =>
  JSON.stringify(
    params,
    (_key, value: unknown) => (value && typeof value === 'object' && 'low' in value && 'high' in value ? Number(value.low) : value),
    2,
  );

class RecordingLookahead extends Lookahead {
  readonly plans: { at: string; fetch: EntityFetch }[] = [];

  override entities(info: GraphQLResolveInfo, at: readonly string[] = []): EntityFetch {
    const fetch = super.entities(info, at);
    this.plans.push({ at: [`${info.parentType.name}.${info.fieldName}`, ...at].join(' → '), fetch });
    return fetch;
  }
}

async function plan(fixture: Fixture) {
  const statements: { cypher: string; params: Record<string, unknown> }[] = [];
  const recorder = {
    read: async (cypher: string, params: Record<string, unknown> = {}) => {
      statements.push({ cypher, params });
      return [];
    },
  } as unknown as Neo4jClient;
  const { apollo } = await createServer({ config: { env: 'test', introspection: true }, client: recorder, logger: silentLogger });
  try {
    const lookahead = new RecordingLookahead({ enabled: true, plans: null });
    const contextValue = createContext(recorder, silentLogger, 'planner-test', createServices(recorder, DEFAULT_INGEST_LIMITS));
    contextValue.lookahead = lookahead;
    const response = await apollo.executeOperation({ query: fixture.operation, variables: fixture.variables }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const errors = response.body.singleResult.errors;
    if (errors?.length) throw new Error(`${fixture.file}: ${JSON.stringify(errors)}`);
    const first = statements[0];
    return {
      plan: lookahead.plans.map((p) => [p.at, ...describeFetch(p.fetch, '  ')].join('\n')).join('\n'),
      cypher: first ? layOut(first.cypher) : '',
      params: first ? paramsJson(first.params) : '',
    };
  } finally {
    await apollo.stop();
  }
}

const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map(readFixture);

describe.each(fixtures.map((f) => [f.file, f] as const))('%s', (_file, fixture) => {
  test(fixture.title, async () => {
    const actual = await plan(fixture);
    if (UPDATE) writeFixture({ ...fixture, ...actual });
    expect({ plan: actual.plan, cypher: actual.cypher, params: actual.params }).toEqual({
      plan: fixture.plan,
      cypher: fixture.cypher,
      params: fixture.params,
    });
  });
});

test('the fixtures cover every relation-backed field and every look-ahead depth', () => {
  const operations = fixtures.map((f) => f.operation).join('\n');
  const pageFields = ENTITY_TYPE_NAMES.flatMap((type) =>
    Object.entries(ENTITY_FIELDS[type]!)
      .filter(([, reads]) => 'page' in reads)
      .map(([field]) => `${type}.${field}`),
  );
  // A field is covered when some fixture selects it inside a fragment on its type (or, for `relations`, anywhere).
  const uncovered = pageFields.filter((coordinate) => {
    const [type, field] = coordinate.split('.') as [string, string];
    return field === 'relations' ? !/\brelations\(/.test(operations) : !new RegExp(`on ${type} \\{[^]*?\\b${field}\\b`).test(operations);
  });
  expect(uncovered).toEqual([]);
  const deepest = Math.max(
    ...fixtures.map((f) =>
      Math.max(0, ...f.plan.split('\n').map((line) => (/^( *)(relations|neighbors) /.exec(line)?.[1]?.length ?? 0) / 2)),
    ),
  );
  expect(deepest).toBe(LOOKAHEAD.depth);
});
