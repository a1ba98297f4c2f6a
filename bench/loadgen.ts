/**
 * The load generator, run as a child process of bench/run.ts (see `LoadGenerator`), so that autocannon
 * never shares an event loop with the servers it measures. It takes one job at a time over IPC, runs
 * autocannon against a 127.0.0.1 URL, and answers with the counts and every response time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  body: string;
  /** Concurrent connections (autocannon `connections`). */
  connections: number;
  durationSec: number;
  /** Stop after this many requests instead of after `durationSec` (for operations too slow to time). */
  amount?: number;
  /** A response whose body differs from this one counts as a mismatch. */
  expectBody?: string;
}

export interface LoadResult {
  /** Responses received with a 2xx status. */
  ok: number;
  non2xx: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** 2xx responses whose body differed from `expectBody`. */
  mismatches: number;
  /** Wall time of the run in ms (autocannon's own measure). */
  durationMs: number;
  /** Response time of each 2xx response, in ms. */
  latencies: number[];
}

/**
 * Documents posted to `ingestDocument` from `connections` workers, each document new (its text, its new
 * entities and its facts are made from `seed` and its index), so that every one is a real write.
 */
export interface IngestJob {
  url: string;
  /** An editor credential. */
  token: string;
  connections: number;
  documents: number;
  relationsPerDocument: number;
  /** New entities each document declares (made from names, so each is resolved, then created). */
  newEntitiesPerDocument: number;
  /** Stored entities the facts link, by id. */
  entityIds: string[];
  seed: number;
}

export interface IngestResult {
  documents: number;
  /** Relations sent, in documents that were written. */
  relations: number;
  /** Documents refused or failed (any GraphQL error or non-2xx answer). */
  errors: number;
  firstError: string | null;
  durationMs: number;
  /** Response time of each written document, in ms. */
  latencies: number[];
  /** How many relations came back CREATED, CORROBORATED or UNCHANGED. */
  outcomes: Record<string, number>;
}

type Message = { id: number; job: LoadJob } | { id: number; ingest: IngestJob };
type Reply = { id: number; result?: LoadResult | IngestResult; error?: string };

/** The types a bench fact may have: any two entities may be linked by these (no qualifier is required). */
const BENCH_TYPES = ['CONCERNED_ABOUT', 'SUPPORTS', 'PARTICIPATES_IN', 'DISCUSSES', 'TARGETS', 'MEMBER_OF'];

/** Deterministic numbers from a seed (mulberry32), so every run sends the same documents. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Document `index` of a job: a text of one sentence per fact, each sentence the fact's quote. */
export function benchDocument(job: IngestJob, index: number): Record<string, unknown> {
  const next = random(job.seed * 1_000_003 + index);
  const pick = () => job.entityIds[Math.floor(next() * job.entityIds.length)]!;
  const entities = Array.from({ length: job.newEntitiesPerDocument }, (_, k) => ({
    ref: `new${k}`,
    kind: 'ORGANIZATION',
    name: `Bench Consortium ${job.seed} ${index} ${k}`,
    evidence: [{ quote: `Bench Consortium ${job.seed} ${index} ${k}`, confidence: 0.9 }],
  }));
  const sentences: string[] = entities.map((e) => `${e.name} was founded.`);
  const relations = Array.from({ length: job.relationsPerDocument }, (_, i) => {
    const source = i < entities.length ? { ref: entities[i]!.ref } : { id: pick() };
    let target = pick();
    while ('id' in source && target === source.id) target = pick();
    const sentence = `Item ${index}.${i}: ${'ref' in source ? entities[i]!.name : source.id} is linked to ${target}.`;
    sentences.push(sentence);
    return { type: BENCH_TYPES[i % BENCH_TYPES.length], source, target: { id: target }, evidence: [{ quote: sentence, confidence: 0.5 }] };
  });
  return {
    document: { title: `Bench dispatch ${job.seed}-${index}`, text: sentences.join(' '), language: 'en' },
    entities,
    relations,
  };
}

const INGEST = `mutation Ingest($input: IngestDocumentInput!) { ingestDocument(input: $input) { created relations { outcome } } }`;

async function ingest(job: IngestJob): Promise<IngestResult> {
  if (!LOOPBACK.test(job.url)) throw new Error(`refusing to load ${job.url}: 127.0.0.1 only`);
  const result: IngestResult = { documents: 0, relations: 0, errors: 0, firstError: null, durationMs: 0, latencies: [], outcomes: {} };
  let nextDocument = 0;
  const started = performance.now();
  const worker = async () => {
    for (let index = nextDocument++; index < job.documents; index = nextDocument++) {
      const sent = performance.now();
      try {
        const response = await fetch(job.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${job.token}` },
          body: JSON.stringify({ query: INGEST, variables: { input: benchDocument(job, index) } }),
        });
        const body = (await response.json()) as {
          data?: { ingestDocument?: { relations: { outcome: string }[] } };
          errors?: { message: string }[];
        };
        const outcomes = body.data?.ingestDocument?.relations;
        if (!response.ok || body.errors?.length || !outcomes) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
        result.latencies.push(performance.now() - sent);
        result.documents += 1;
        result.relations += outcomes.length;
        for (const { outcome } of outcomes) result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
      } catch (error) {
        result.errors += 1;
        result.firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: job.connections }, worker));
  result.durationMs = performance.now() - started;
  return result;
}

const LOOPBACK = /^http:\/\/127\.0\.0\.1:\d+\//;

function run(job: LoadJob): Promise<LoadResult> {
  if (!LOOPBACK.test(job.url)) return Promise.reject(new Error(`refusing to load ${job.url}: 127.0.0.1 only`));
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon(
      {
        url: job.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: job.body,
        connections: job.connections,
        ...(job.amount !== undefined ? { amount: job.amount } : { duration: job.durationSec }),
        timeout: 30,
        // autocannon checks for the end of a run at each sample tick (1 s by default): tick every 100 ms
        // so that a 0.3 s run lasts 0.3 s, not 1 s.
        sampleInt: 100,
        ...(job.expectBody !== undefined ? { expectBody: job.expectBody } : {}),
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        resolve({
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
          mismatches: (result as unknown as { mismatches?: number }).mismatches ?? 0,
          durationMs: result.duration * 1000,
          latencies,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

/** A handle on the child process; one job at a time. */
export class LoadGenerator {
  private next = 0;
  private readonly pending = new Map<number, { resolve: (r: LoadResult | IngestResult) => void; reject: (e: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.result) waiter.resolve(reply.result);
      else waiter.reject(new Error(reply.error ?? 'load generator failed'));
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`load generator exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  /** Forks this file; the child inherits the tsx loader from process.execArgv. */
  static start(): LoadGenerator {
    const child = fork(__filename, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new LoadGenerator(child);
  }

  run(job: LoadJob): Promise<LoadResult> {
    return this.send((id) => ({ id, job })) as Promise<LoadResult>;
  }

  /** Posts new documents to `ingestDocument` from several connections; see `IngestJob`. */
  ingest(job: IngestJob): Promise<IngestResult> {
    return this.send((id) => ({ id, ingest: job })) as Promise<IngestResult>;
  }

  private send(message: (id: number) => Message): Promise<LoadResult | IngestResult> {
    const id = (this.next += 1);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send(message(id));
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

if (require.main === module && process.argv.includes('--child')) {
  process.on('message', (message: Message) => {
    ('job' in message ? run(message.job) : ingest(message.ingest)).then(
      (result) => process.send?.({ id: message.id, result } satisfies Reply),
      (error: unknown) => process.send?.({ id: message.id, error: String((error as Error)?.message ?? error) } satisfies Reply),
    );
  });
  // The parent closing the channel (or dying) ends this process.
  process.on('disconnect', () => process.exit(0));
}
