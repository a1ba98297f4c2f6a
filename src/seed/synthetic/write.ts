/** Writing the synthetic graph through the graph writer, one transaction per batch, and removing it again. */
import { int, type ManagedTransaction } from 'neo4j-driver';
import type { Neo4jClient } from '../../db/neo4jClient';
import { ensureSchema } from '../../db/schema';
import { documentRow, GraphWriteError, writeDocuments, writeEntities, writeRelations } from '../../data/writer';
import { SyntheticGenerator, type DegreeStats } from './generator';
import { SYNTHETIC_ID_PREFIX } from './names';
import { checkOptions, DEFAULT_BATCH_SIZE, type SyntheticOptions, type SyntheticPlan } from './plan';

/** The marker node that records which parameters the synthetic graph in the database was made with. */
const SYNTHETIC_GRAPH_LABEL = 'SyntheticGraph';
const SYNTHETIC_GRAPH_ID = 'syn-graph';
/** One batch is a bulk write: it may take far longer than an interactive query. */
const BATCH_TRANSACTION_TIMEOUT_MS = 10 * 60_000;

export type SyntheticProgress =
  | { phase: 'schema' | 'done'; elapsedMs: number }
  | {
      phase: 'entities' | 'relations' | 'documents';
      done: number;
      total: number;
      label: string;
      elapsedMs: number;
      phaseElapsedMs: number;
    };

export interface SyntheticSummary {
  entities: number;
  relations: number;
  documents: number;
  batchSize: number;
  seed: number;
  elapsedMs: number;
  entityPhaseMs: number;
  relationPhaseMs: number;
  relationsPerSecond: number;
  degrees: DegreeStats;
  topHubs: { id: string; name: string; degree: number }[];
}

/** Raised when the database holds synthetic data made with other parameters: ids would collide. */
export class SyntheticConflictError extends Error {
  override readonly name = 'SyntheticConflictError';
}

interface GraphMarker {
  entities: number;
  relations: number;
  seed: number;
  complete: boolean;
}

async function readMarker(client: Neo4jClient): Promise<GraphMarker | null> {
  const [row] = await client.read<{ m: GraphMarker }>(
    `MATCH (m:${SYNTHETIC_GRAPH_LABEL} {id: $id}) RETURN m {.entities, .relations, .seed, .complete} AS m`,
    { id: SYNTHETIC_GRAPH_ID },
  );
  return row?.m ?? null;
}

async function writeMarker(client: Neo4jClient, plan: SyntheticPlan, complete: boolean): Promise<void> {
  await client.write(`MERGE (m:${SYNTHETIC_GRAPH_LABEL} {id: $id}) SET m += $props`, {
    id: SYNTHETIC_GRAPH_ID,
    props: { entities: int(plan.entities), relations: int(plan.relations), seed: int(plan.seed), complete, synthetic: true },
  });
}

/**
 * Runs one batch in its own write transaction. A GraphWriteError (a fact id that names other entities, a
 * missing endpoint) means the database holds synthetic data this run did not make.
 */
async function inBatchTransaction<T>(client: Neo4jClient, work: (tx: ManagedTransaction, attempt: number) => Promise<T>): Promise<T> {
  let attempt = 0;
  try {
    return await client.writeTransaction((tx) => work(tx, (attempt += 1)), BATCH_TRANSACTION_TIMEOUT_MS);
  } catch (error) {
    if (error instanceof GraphWriteError) throw new SyntheticConflictError(`${error.message}: remove the synthetic graph with --clear`);
    throw error;
  }
}

/**
 * Generates the synthetic graph and writes it: schema first, then entities, then facts, each batch in its
 * own write transaction, with documents written as they fill up. Idempotent: a rerun with the same
 * entities, relations and seed changes no counts (and, whatever the batch size, writes the same graph).
 */
export async function writeSyntheticGraph(
  client: Neo4jClient,
  options: SyntheticOptions,
  onProgress: (progress: SyntheticProgress) => void = () => {},
): Promise<SyntheticSummary> {
  const { batchSize } = checkOptions(options);
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const generator = new SyntheticGenerator(options);
  const { plan } = generator;

  const marker = await readMarker(client);
  if (marker && (marker.entities !== plan.entities || marker.relations !== plan.relations || marker.seed !== plan.seed)) {
    throw new SyntheticConflictError(
      `The database already holds a synthetic graph made with --entities ${marker.entities} --relations ${marker.relations} --seed ${marker.seed}; ` +
        'its ids would collide with this one. Remove it first with --clear.',
    );
  }
  if (!marker && (await countSyntheticEntities(client, 1)) > 0) {
    throw new SyntheticConflictError(
      'The database holds synthetic entities (ids syn-…) with no record of how they were made. Remove them first with --clear.',
    );
  }

  await ensureSchema(client);
  onProgress({ phase: 'schema', elapsedMs: elapsed() });
  await writeMarker(client, plan, false);

  const flushDocuments = async (force: boolean) => {
    if (!force && !generator.documents.full) return;
    if (force) generator.documents.finish();
    const documents = generator.documents.take();
    if (documents.length === 0) return;
    await inBatchTransaction(client, (tx) => writeDocuments(tx, documents.map(documentRow)));
    onProgress({
      phase: 'documents',
      done: generator.documents.written,
      total: plan.documents,
      label: 'Document',
      elapsedMs: elapsed(),
      phaseElapsedMs: elapsed(),
    });
  };

  /** Writes one phase's batches, each in its own transaction, and returns how long the phase took. */
  const writePhase = async <Batch extends { rows: unknown[] }>(
    phase: 'entities' | 'relations',
    total: number,
    batches: Iterable<Batch>,
    label: (batch: Batch) => string,
    write: (tx: ManagedTransaction, batch: Batch, attempt: number) => Promise<number>,
  ): Promise<number> => {
    const phaseStarted = performance.now();
    let done = 0;
    for (const batch of batches) {
      await inBatchTransaction(client, (tx, attempt) => write(tx, batch, attempt));
      done += batch.rows.length;
      onProgress({ phase, done, total, label: label(batch), elapsedMs: elapsed(), phaseElapsedMs: performance.now() - phaseStarted });
      await flushDocuments(false);
    }
    await flushDocuments(true);
    return performance.now() - phaseStarted;
  };

  const entityPhaseMs = await writePhase(
    'entities',
    plan.entities,
    generator.entityBatches(batchSize),
    (batch) => batch.label,
    (tx, batch) => writeEntities(tx, batch.rows),
  );
  // With no marker, the run started on a database with no synthetic data, so the lookup of existing facts
  // would find nothing; except on a retry, since the driver also retries a commit whose outcome it did not hear.
  const relationPhaseMs = await writePhase(
    'relations',
    plan.relations,
    generator.relationBatches(batchSize),
    (batch) => batch.type,
    (tx, batch, attempt) => writeRelations(tx, batch.rows, { consecutiveIds: true, knownEmpty: marker === null && attempt === 1 }),
  );

  await writeMarker(client, plan, true);
  const elapsedMs = elapsed();
  onProgress({ phase: 'done', elapsedMs });
  return {
    entities: plan.entities,
    relations: plan.relations,
    documents: plan.documents,
    batchSize,
    seed: plan.seed,
    elapsedMs,
    entityPhaseMs,
    relationPhaseMs,
    relationsPerSecond: plan.relations / (relationPhaseMs / 1000),
    degrees: generator.degreeStats(),
    topHubs: generator.topHubs(5),
  };
}

async function countSyntheticEntities(client: Neo4jClient, limit: number): Promise<number> {
  const [row] = await client.read<{ n: number }>(
    `MATCH (e:Entity) WHERE e.id STARTS WITH $prefix AND e.synthetic = true WITH e LIMIT $limit RETURN count(e) AS n`,
    { prefix: SYNTHETIC_ID_PREFIX, limit: int(limit) },
  );
  return row?.n ?? 0;
}

async function deleteInBatches(
  client: Neo4jClient,
  statement: string,
  batchSize: number,
  onBatch: (deleted: number) => void,
  params: Record<string, unknown> = {},
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await client.writeTransaction(async (tx) => {
      const result = await tx.run(statement, { prefix: SYNTHETIC_ID_PREFIX, batch: int(batchSize), ...params });
      return Number(result.records[0]?.get('deleted') ?? 0);
    }, BATCH_TRANSACTION_TIMEOUT_MS);
    total += deleted;
    if (deleted > 0) onBatch(total);
    if (deleted < batchSize) return total;
  }
}

export interface ClearSummary {
  relations: number;
  entities: number;
  documents: number;
  elapsedMs: number;
}

/**
 * Removes every synthetic fact, entity and document (and the marker), each in batches of `batchSize` in
 * its own transaction, so that a million facts never sit in one transaction. The real graph is untouched:
 * only nodes whose id starts with `syn-` and that have `synthetic: true` go.
 */
export async function clearSyntheticGraph(
  client: Neo4jClient,
  batchSize = DEFAULT_BATCH_SIZE,
  onProgress: (what: 'relations' | 'entities' | 'documents', deleted: number) => void = () => {},
): Promise<ClearSummary> {
  const started = performance.now();
  // Facts first, a slice of synthetic entities at a time (in id order, so no entity is walked twice), at
  // most `batchSize` facts per transaction. Two statements whatever the types: few query plans to make.
  let relations = 0;
  let after = '';
  for (;;) {
    const [slice] = await client.read<{ first: string | null; last: string | null }>(
      `MATCH (e:Entity) USING INDEX e:Entity(id) WHERE e.id STARTS WITH $prefix AND e.id > $after AND e.synthetic = true
       WITH e.id AS id ORDER BY id LIMIT $entities
       RETURN min(id) AS first, max(id) AS last`,
      { prefix: SYNTHETIC_ID_PREFIX, after, entities: int(Math.max(1, Math.ceil(batchSize / 10))) },
    );
    if (!slice?.first || !slice.last) break;
    const before = relations;
    relations += await deleteInBatches(
      client,
      `MATCH (e:Entity) USING INDEX e:Entity(id) WHERE e.id >= $first AND e.id <= $last AND e.synthetic = true
       MATCH (e)-[r]-()
       WITH DISTINCT r LIMIT $batch
       DELETE r
       RETURN count(r) AS deleted`,
      batchSize,
      (n) => onProgress('relations', before + n),
      { first: slice.first, last: slice.last },
    );
    after = slice.last;
  }
  // DETACH: a fact someone else attached to a synthetic entity goes with it.
  const deleteNodes = (label: 'Entity' | 'Document', what: 'entities' | 'documents', batch: number) =>
    deleteInBatches(
      client,
      `MATCH (n:${label}) USING INDEX n:${label}(id) WHERE n.id STARTS WITH $prefix AND n.synthetic = true
       WITH n LIMIT $batch
       DETACH DELETE n
       RETURN count(n) AS deleted`,
      batch,
      (n) => onProgress(what, n),
    );
  const entities = await deleteNodes('Entity', 'entities', batchSize);
  const documents = await deleteNodes('Document', 'documents', Math.max(1, Math.floor(batchSize / 100)));
  await client.write(`MATCH (m:${SYNTHETIC_GRAPH_LABEL}) DETACH DELETE m`);
  return { relations, entities, documents, elapsedMs: performance.now() - started };
}

/** Degree statistics of the synthetic entities as stored in the database. */
export async function storedDegreeStats(
  client: Neo4jClient,
): Promise<DegreeStats & { topHubs: { id: string; name: string; degree: number }[] }> {
  const [stats] = await client.read<DegreeStats>(
    `MATCH (e:Entity) WHERE e.id STARTS WITH $prefix AND e.synthetic = true
     WITH COUNT { (e)--() } AS degree
     RETURN count(*) AS entities, min(degree) AS min, max(degree) AS max, avg(degree) AS mean,
            percentileDisc(degree, 0.5) AS median, percentileDisc(degree, 0.9) AS p90, percentileDisc(degree, 0.99) AS p99,
            sum(CASE WHEN degree >= 1 AND degree <= 3 THEN 1 ELSE 0 END) AS lowDegree, sum(CASE WHEN degree = 0 THEN 1 ELSE 0 END) AS isolated`,
    { prefix: SYNTHETIC_ID_PREFIX },
  );
  const topHubs = await client.read<{ id: string; name: string; degree: number }>(
    `MATCH (e:Entity) WHERE e.id STARTS WITH $prefix AND e.synthetic = true
     WITH e, COUNT { (e)--() } AS degree
     ORDER BY degree DESC, e.id LIMIT 5
     RETURN e.id AS id, e.name AS name, degree`,
    { prefix: SYNTHETIC_ID_PREFIX },
  );
  return { ...stats!, topHubs };
}
