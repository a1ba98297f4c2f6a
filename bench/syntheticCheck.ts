/**
 * `npm run bench:synthetic-check`: runs the API's queries on the synthetic graph already in the configured
 * database (NEO4J_URI, or the embedded one), as `npm run seed:synthetic` wrote it: its biggest hub and a few
 * tail entities. Each query runs twice, and the check prints how long each run took, how many round trips
 * it made, and whether the answer was bounded and right; it exits 1 when one was not.
 */
import { loadConfig } from '../src/config';
import { createContext } from '../src/context';
import { connectNeo4j } from '../src/db/connect';
import type { Neo4jClient } from '../src/db/neo4jClient';
import { createLogger, type Logger } from '../src/logger';
import { storedDegreeStats } from '../src/seed/synthetic';
import { createServer } from '../src/server';

const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Runs the API's queries through the real Apollo server, in-process, against the synthetic graph's biggest
 * hub and a few tail entities, checking that each answer is bounded and right, and timing it.
 */
async function check(client: Neo4jClient, logger: Logger): Promise<void> {
  const stats = await storedDegreeStats(client);
  const hub = stats.topHubs[0];
  if (!hub) throw new Error('no synthetic graph to check: write one first');
  const [tail] = await client.read<{ a: string; b: string; person: string }>(
    `MATCH (a:Person) WHERE a.id STARTS WITH 'syn-person-' AND COUNT { (a)--() } = 1
     WITH a ORDER BY a.id DESC LIMIT 1
     MATCH (b:Event) WHERE b.id STARTS WITH 'syn-event-' AND COUNT { (b)--() } = 1
     WITH a, b ORDER BY b.id DESC LIMIT 1
     MATCH (p:Person {id: 'syn-person-000000'})
     RETURN a.id AS a, b.id AS b, p.id AS person`,
  );
  const [{ visible = -1 } = {}] = await client.read<{ visible: number }>(
    `MATCH (e:Entity {id: $id}) RETURN COUNT { (e)-[r]-() WHERE r.rank <> 'DEPRECATED' } AS visible`,
    { id: hub.id },
  );
  const { apollo, services } = await createServer({ config: { env: 'test', introspection: false }, client, logger });
  const failures: string[] = [];
  const run = async <T>(
    name: string,
    query: string,
    variables: Record<string, unknown>,
    verify: (data: T) => string | true,
  ): Promise<T | null> => {
    // Twice: the first run pays for query planning and a cold page cache, the second shows the steady state.
    const times: number[] = [];
    let result: { data: T | null; verdict: string | true; roundTrips: number } | null = null;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const contextValue = createContext(client, logger, `synthetic-check-${name}`, services);
      const started = performance.now();
      const response = await apollo.executeOperation({ query, variables }, { contextValue });
      times.push(performance.now() - started);
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const { data, errors } = response.body.singleResult;
      const verdict = errors?.length ? `errors: ${errors.map((e) => e.message).join('; ')}` : verify(data as T);
      result = { data: (data as T) ?? null, verdict, roundTrips: contextValue.db.counter.count };
    }
    const { data, verdict, roundTrips } = result!;
    if (verdict !== true) failures.push(`${name}: ${verdict}`);
    const ms = (t: number | undefined) => `${(t ?? 0).toFixed(0).padStart(6)} ms`;
    console.log(
      `synthetic: check ${name.padEnd(28)} first ${ms(times[0])}, again ${ms(times[1])}, ${roundTrips} round trips  ${verdict === true ? 'ok' : `FAILED ${verdict}`}`,
    );
    return data;
  };
  console.log(
    `synthetic: checking the API on hub ${hub.id} "${hub.name}" (${thousands(hub.degree)} facts, ${thousands(visible)} not deprecated)`,
  );

  type Page = {
    entity: { relations: { totalCount: number; edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
  };
  const pageQuery = `query ($id: ID!, $after: String) { entity(id: $id) { id relations(first: 50, after: $after) {
    totalCount edges { node { id type source { id } target { id } evidence { quote document { id } } } } pageInfo { hasNextPage endCursor } } } }`;
  const first = await run<Page>('hub relations first:50', pageQuery, { id: hub.id }, (d) => {
    const r = d.entity.relations;
    return r.edges.length === 50 && r.pageInfo.hasNextPage && r.totalCount === visible
      ? true
      : `${r.edges.length} edges, totalCount ${r.totalCount}`;
  });
  await run<Page>('hub relations page 2', pageQuery, { id: hub.id, after: first?.entity.relations.pageInfo.endCursor }, (d) => {
    const ids = d.entity.relations.edges.map((e) => e.node.id);
    const last = first?.entity.relations.edges.at(-1)?.node.id ?? '';
    return ids.length === 50 && ids.every((id) => id > last) ? true : 'second page overlaps the first';
  });
  await run<{ entity: { relations: { totalCount: number; edges: { node: { type: string } }[] } } }>(
    'hub CONTROLS asOf 2010',
    `query ($id: ID!) { entity(id: $id) { relations(types: [CONTROLS], asOf: "2010", first: 20) { totalCount edges { node { type validFrom validTo pointInTime } } } } }`,
    { id: hub.id },
    (d) =>
      d.entity.relations.edges.every((e) => e.node.type === 'CONTROLS') && d.entity.relations.edges.length <= 20 ? true : 'wrong types',
  );
  type Hits = { search: { entity: { id: string } }[] };
  const searchQuery = `query ($text: String!) { search(text: $text, first: 10) { score entity { id name } } }`;
  await run<Hits>('search exact name', searchQuery, { text: hub.name }, (d) =>
    d.search.some((h) => h.entity.id === hub.id) ? true : 'hub not found',
  );
  await run<Hits>('search prefix', searchQuery, { text: hub.name.slice(0, 5) }, (d) => (d.search.length > 0 ? true : 'no hits'));
  await run<Hits>('search typo', searchQuery, { text: `${hub.name.slice(0, -2)}x${hub.name.slice(-1)}` }, (d) =>
    d.search.length > 0 ? true : 'no hits',
  );
  type Sub = { neighborhood: { nodes: { id: string }[]; relations: { id: string }[]; truncated: boolean } };
  const hoodQuery = `query ($id: ID!) { neighborhood(id: $id, depth: 2, limit: 200) { truncated nodes { id } relations { id } } }`;
  await run<Sub>('neighborhood hub d2 l200', hoodQuery, { id: hub.id }, (d) =>
    d.neighborhood.truncated && d.neighborhood.nodes.length <= 200
      ? true
      : `truncated ${d.neighborhood.truncated}, ${d.neighborhood.nodes.length} nodes`,
  );
  if (tail) {
    await run<Sub>('neighborhood tail d2 l200', hoodQuery, { id: tail.a }, (d) =>
      d.neighborhood.nodes.length <= 200 ? true : 'too many nodes',
    );
    await run<{ path: { length: number } | null }>(
      'path tail→tail maxHops 4',
      `query ($from: ID!, $to: ID!) { path(fromId: $from, toId: $to, maxHops: 4) { length nodes { id } hops { relation { id } } } }`,
      { from: tail.a, to: tail.b },
      (d) => (d.path === null || d.path.length <= 4 ? true : `length ${d.path.length}`),
    );
    await run<{ coOccurrence: unknown[] }>(
      'coOccurrence person hub',
      `query ($id: ID!) { coOccurrence(id: $id, first: 10) { count entity { id } } }`,
      { id: tail.person },
      (d) => (d.coOccurrence.length <= 10 ? true : 'too many'),
    );
  }
  await run<{ timeline: { edges: { node: { startDate: string | null } }[] } }>(
    'timeline of hub first:20',
    `query ($id: ID!) { timeline(entityId: $id, first: 20) { totalCount edges { node { id startDate } } pageInfo { hasNextPage } } }`,
    { id: hub.id },
    (d) => (d.timeline.edges.length <= 20 ? true : 'too many'),
  );
  await run<{ events: { edges: unknown[] } }>(
    'events 2000..2001 first:20',
    `{ events(filter: { from: "2000", to: "2001" }, first: 20) { totalCount edges { node { id startDate } } } }`,
    {},
    (d) => (d.events.edges.length <= 20 ? true : 'too many'),
  );
  await run<{ people: { edges: unknown[] } }>(
    'people nameContains first:20',
    `query ($text: String!) { people(filter: { nameContains: $text }, first: 20) { totalCount edges { node { id name } } } }`,
    { text: hub.name.slice(1, 4) },
    (d) => (d.people.edges.length <= 20 ? true : 'too many'),
  );
  await run<{ mostConnected: { entity: { id: string }; degree: number }[] }>(
    'mostConnected first:5',
    `{ mostConnected(first: 5) { degree entity { id } } }`,
    {},
    (d) => (d.mostConnected[0]?.entity.id === hub.id ? true : `top is ${d.mostConnected[0]?.entity.id}`),
  );
  await run<{ stats: { entityCount: number } }>('stats', `{ stats { entityCount relationCount documentCount } }`, {}, (d) =>
    d.stats.entityCount >= stats.entities ? true : `entityCount ${d.stats.entityCount}`,
  );
  await apollo.stop();
  if (failures.length > 0) throw new Error(`check failed:\n  ${failures.join('\n  ')}`);
  console.log('synthetic: check passed');
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const connection = await connectNeo4j(config, logger);
  try {
    await check(connection.client, logger);
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(`synthetic check: ${(error as Error).message}`);
  process.exit(1);
});
