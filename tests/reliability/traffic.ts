/**
 * Traffic for the load and fault tests (npm run test:load, npm run test:faults): dashboard readers that loop
 * over README.md's queries, and an ingester that adds one document at a steady rate and remembers which were
 * acknowledged. Every request goes to 127.0.0.1 only, and every loop ends at a fixed time.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { readmeQueries } from '../helpers/readme';
import { STACK_TRACE } from '../helpers/stackTrace';

export interface Sample {
  /** When the request started and ended (ms since the epoch). */
  start: number;
  end: number;
  status: number;
  /** The first GraphQL error's code, 'ok' without errors, 'hang' when no answer came in time, 'socket' when the connection failed. */
  code: string;
  stack: boolean;
  /** The first error's message, when there is one. */
  message?: string;
}

/** No request may take longer: the request deadline (15 s) and a margin. */
export const HANG_MS = 20_000;

function assertLoopback(url: string): void {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`refusing to send traffic to ${url}: 127.0.0.1 only`);
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Sample & { json?: any }> {
  const start = Date.now();
  try {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(HANG_MS),
    });
    const text = await response.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const code = json?.errors?.[0]?.extensions?.code ?? (response.ok && json ? 'ok' : `http-${response.status}`);
    const message = json?.errors?.[0]?.message as string | undefined;
    return {
      start,
      end: Date.now(),
      status: response.status,
      code: String(code),
      stack: STACK_TRACE.test(text),
      json,
      ...(message ? { message } : {}),
    };
  } catch (error) {
    const hang = (error as Error).name === 'TimeoutError';
    return { start, end: Date.now(), status: 0, code: hang ? 'hang' : 'socket', stack: false };
  }
}

/** When traffic stops (ms since the epoch); the caller may move it earlier while the traffic runs. */
export interface Window {
  until: number;
}

/** `connections` readers, each sending README.md's queries in turn until the window ends. */
export async function runReaders(url: string, connections: number, window: Window): Promise<Sample[]> {
  assertLoopback(url);
  const queries = readmeQueries();
  const samples: Sample[] = [];
  // Node's fetch keeps one connection per concurrent request to an origin: `connections` workers, as many connections.
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      for (let i = worker; Date.now() < window.until; i += 1) {
        const { json: _json, ...sample } = await post(url, { query: queries[i % queries.length] });
        samples.push(sample);
        // As a dashboard would: after a failure, wait a moment rather than spin on a service that answers at once.
        if (sample.code !== 'ok') await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }),
  );
  return samples;
}

/** One ingested document: its ids, and whether the service acknowledged it. */
export interface Ingestion {
  n: number;
  documentId: string;
  personId: string;
  organizationId: string;
  acknowledged: boolean;
  sample: Sample;
}

/** Adds one made-up document every `intervalMs` until the window ends, each with two entities and one fact. */
export async function runIngester(url: string, apiKey: string, run: string, intervalMs: number, window: Window): Promise<Ingestion[]> {
  assertLoopback(url);
  const done: Ingestion[] = [];
  const pending: Promise<void>[] = [];
  for (let n = 0; Date.now() < window.until; n += 1) {
    const ids = { documentId: `${run}-doc-${n}`, personId: `${run}-person-${n}`, organizationId: `${run}-council-${n}` };
    // Names far apart in spelling, so that no document's entities are matched to another's.
    const word = (salt: string) =>
      createHash('sha256')
        .update(`${run}:${n}:${salt}`)
        .digest()
        .subarray(0, 8)
        .reduce((name, byte, i) => name + String.fromCharCode((i === 0 ? 65 : 97) + (byte % 26)), '');
    const person = `${word('given')} ${word('family')}`;
    const council = `${word('council')} Council`;
    const text = `${person} is a member of the ${council}. The load test wrote this dispatch.`;
    const input = {
      document: { id: ids.documentId, title: `Load dispatch ${n}`, text },
      entities: [
        { ref: 'p', id: ids.personId, kind: 'PERSON', name: person, evidence: [{ quote: person, confidence: 0.9 }] },
        { ref: 'c', id: ids.organizationId, kind: 'ORGANIZATION', name: council, evidence: [{ quote: council, confidence: 0.9 }] },
      ],
      relations: [
        {
          type: 'MEMBER_OF',
          source: { ref: 'p' },
          target: { ref: 'c' },
          evidence: [{ quote: `${person} is a member of the ${council}.`, confidence: 0.9 }],
        },
      ],
    };
    pending.push(
      post(
        url,
        { query: 'mutation ($input: IngestDocumentInput!) { ingestDocument(input: $input) { created } }', variables: { input } },
        { authorization: `Bearer ${apiKey}` },
      ).then(({ json, ...sample }) => {
        done.push({ n, ...ids, acknowledged: sample.code === 'ok' && json?.data?.ingestDocument?.created === true, sample });
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  await Promise.all(pending);
  return done.sort((a, b) => a.n - b.n);
}

/**
 * Each ingestion as the graph holds it now: whole (document, both entities and the fact), absent (none of
 * them), or half-present (anything in between).
 */
export async function ingestionStates(url: string, ingestions: readonly Ingestion[]): Promise<Map<number, 'whole' | 'absent' | 'half'>> {
  const states = new Map<number, 'whole' | 'absent' | 'half'>();
  for (const ingestion of ingestions) {
    const { json, code } = await post(url, {
      query: `query ($d: ID!, $p: ID!, $c: ID!) {
          document(id: $d) { id }
          person: entity(id: $p) { id relations(types: [MEMBER_OF]) { totalCount } }
          council: entity(id: $c) { id }
        }`,
      variables: { d: ingestion.documentId, p: ingestion.personId, c: ingestion.organizationId },
    });
    if (code !== 'ok') throw new Error(`could not read ingestion ${ingestion.n} back: ${code}`);
    const parts = [
      json.data.document !== null,
      json.data.person !== null,
      json.data.council !== null,
      json.data.person?.relations.totalCount === 1,
    ];
    states.set(ingestion.n, parts.every(Boolean) ? 'whole' : parts.some(Boolean) ? 'half' : 'absent');
  }
  return states;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Summary {
  requests: number;
  errors: number;
  codes: Record<string, number>;
  /** One message of each error code. */
  examples: Record<string, string>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  perSecond: number;
}

export function summarize(samples: readonly Sample[], seconds: number): Summary {
  const latencies = samples.map((s) => s.end - s.start).sort((a, b) => a - b);
  const codes: Record<string, number> = {};
  const examples: Record<string, string> = {};
  for (const s of samples) {
    codes[s.code] = (codes[s.code] ?? 0) + 1;
    if (s.code !== 'ok' && s.message && !(s.code in examples)) examples[s.code] = s.message;
  }
  return {
    requests: samples.length,
    errors: samples.filter((s) => s.code !== 'ok').length,
    codes,
    examples,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? NaN,
    perSecond: Math.round(samples.length / seconds),
  };
}

/** Readers and an ingester (one document a second) on a warm service, until the window ends or is ended. */
export async function startTraffic(url: string, apiKey: string, run: string, connections: number, maxMs: number) {
  // Warm up first, one at a time: a statement's first run is planned, which takes Neo4j up to a second.
  await runReaders(url, 1, { until: Date.now() + 5_000 });
  const started = Date.now();
  const window: Window = { until: started + maxMs };
  return {
    started,
    window,
    readers: runReaders(url, connections, window),
    ingester: runIngester(url, apiKey, `${run}-${started}`, 1_000, window),
  };
}

/** The machine the figures come from, and how busy other jobs kept it (it is shared). */
export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage1m: Math.round(os.loadavg()[0]! * 10) / 10,
  };
}

/** Prints the report, writes it to `--out FILE` when given, prints the failures, and returns the exit code. */
export function publish(name: string, report: object, failures: readonly string[]): number {
  const outFlag = process.argv.indexOf('--out');
  const text = `${JSON.stringify(report, null, 2)}\n`;
  console.log(text);
  if (outFlag > 0) writeFileSync(process.argv[outFlag + 1]!, text);
  for (const failure of failures) console.error(`FAIL: ${failure}`);
  console.log(failures.length === 0 ? `${name} passed` : `${name} failed`);
  return failures.length === 0 ? 0 : 1;
}

/** Runs a script's main and exits with its code (1 on an exception). */
export function runScript(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
