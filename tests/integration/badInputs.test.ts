/**
 * The bad-input corpus (tests/corpus/bad-inputs.json) against the service over real HTTP and the real test
 * database. Each case is one request and the answer it must get: its HTTP status and the first error's
 * `extensions.code` (null: no error). Every case must also leave the graph's node and relationship counts
 * as they were, and its answer must carry no 5xx, no INTERNAL_SERVER_ERROR and no stack trace.
 *
 * Long inputs are written compactly: a string may be given as parts, where `{"$repeat": {"times", "text",
 * "separator", "as"}}` repeats its text, with `{i}` (or the `as` name) replaced by the repetition's index.
 */
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey } from 'jose';
import type { Neo4jClient } from '../../src/db/neo4jClient';
import { openTestClient, seedTestDatabase } from '../helpers/graphql';
import { request, serveOnLoopback, type HttpResult, type HttpService } from '../helpers/httpServer';
import { STACK_TRACE } from '../helpers/stackTrace';

interface Repeat {
  $repeat: { times: number; text: Part; separator?: string; as?: string };
}
type Part = string | Repeat | Part[];

/** A JWT to send: its algorithm (or the attack it plays) and what to change in its claims. */
interface JwtSpec {
  alg: 'RS256' | 'none' | 'HS256-public-key';
  roles: string[];
  expiresInSeconds?: number;
  issuer?: string;
  audience?: string;
  tamper?: boolean;
  noSubject?: boolean;
}

interface CorpusCase {
  name: string;
  group: string;
  /** The credential sent as Authorization: a configured key's role, an attack on it, or a JWT. */
  auth?: 'editor' | 'reader' | 'wrong-key' | 'basic' | 'bearer-empty' | { jwt: JwtSpec } | null;
  request: {
    method: string;
    path?: string;
    headers?: Record<string, string>;
    body?: unknown;
    raw?: string;
    query?: Record<string, string>;
    /** A valid operation padded with a JSON field to this many bytes. */
    padTo?: number;
    /** A gzip body that inflates to this many bytes. */
    gzipBomb?: number;
    repeatBatch?: { item: unknown; times: number };
  };
  expect: { status: number; code: string | null; limit?: string };
  argumentName?: string;
  data?: unknown;
}

const corpus = JSON.parse(readFileSync(path.join(__dirname, '..', 'corpus', 'bad-inputs.json'), 'utf8')) as { cases: CorpusCase[] };

const isRepeat = (value: unknown): value is Repeat => typeof value === 'object' && value !== null && '$repeat' in value;
const isParts = (value: unknown): value is Part[] =>
  Array.isArray(value) && value.some(isRepeat) && value.every((p) => typeof p === 'string' || isRepeat(p) || Array.isArray(p));

function renderPart(part: Part, names: Record<string, number>): string {
  if (typeof part === 'string') return part.replace(/\{([a-z])\}/g, (whole, name: string) => (name in names ? String(names[name]) : whole));
  if (Array.isArray(part)) return part.map((p) => renderPart(p, names)).join('');
  const { times, text, separator = ' ', as = 'i' } = part.$repeat;
  return Array.from({ length: times }, (_, i) => renderPart(text, { ...names, [as]: i })).join(separator);
}

/** The case's JSON with every string given as parts rendered. */
function render(value: unknown): unknown {
  if (isRepeat(value) || isParts(value)) return renderPart(value as Part, {});
  if (Array.isArray(value)) return value.map(render);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v)]));
  return value;
}

/** The corpus server's credentials: an editor and a reader API key, and an RS256 key pair for JWTs. */
const EDITOR_KEY = 'corpus-editor-key-0123456789abcdefghijklmnop';
const READER_KEY = 'corpus-reader-key-0123456789abcdefghijklmnop';
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'kg-corpus';
let jwtKeys: { privateKey: CryptoKey; publicPem: string };

let client: Neo4jClient;
let service: HttpService;

async function jwt(spec: JwtSpec): Promise<string> {
  const claims = { roles: spec.roles };
  const now = Math.floor(Date.now() / 1000);
  const build = <T extends SignJWT | UnsecuredJWT>(token: T): T => {
    token
      .setIssuer(spec.issuer ?? ISSUER)
      .setAudience(spec.audience ?? AUDIENCE)
      .setIssuedAt(now - 7200);
    token.setExpirationTime(now + (spec.expiresInSeconds ?? 3600));
    if (!spec.noSubject) token.setSubject('corpus-writer');
    return token;
  };
  if (spec.alg === 'none') return build(new UnsecuredJWT(claims)).encode();
  if (spec.alg === 'HS256-public-key') {
    return build(new SignJWT(claims).setProtectedHeader({ alg: 'HS256' })).sign(new TextEncoder().encode(jwtKeys.publicPem));
  }
  const token = await build(new SignJWT(claims).setProtectedHeader({ alg: 'RS256' })).sign(jwtKeys.privateKey);
  if (!spec.tamper) return token;
  const [header, payload, signature] = token.split('.');
  return `${header}.${payload}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
}

async function authorization(auth: CorpusCase['auth']): Promise<Record<string, string>> {
  if (auth === undefined || auth === null) return {};
  if (typeof auth === 'object') return { authorization: `Bearer ${await jwt(auth.jwt)}` };
  const header = {
    editor: `Bearer ${EDITOR_KEY}`,
    reader: `Bearer ${READER_KEY}`,
    'wrong-key': `Bearer ${EDITOR_KEY.replace(/.$/, 'X')}`,
    basic: 'Basic YWRtaW46YWRtaW4=',
    'bearer-empty': 'Bearer',
  }[auth];
  return { authorization: header };
}

async function graphCounts(): Promise<{ nodes: number; relationships: number }> {
  const [row] = await client.read<{ nodes: number; relationships: number }>(
    'CALL () { MATCH (n) RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships } RETURN nodes, relationships',
  );
  return row!;
}

beforeAll(async () => {
  client = openTestClient();
  await seedTestDatabase(client);
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  jwtKeys = { privateKey, publicPem: await exportSPKI(publicKey) };
  service = await serveOnLoopback({
    client,
    config: {
      env: 'test',
      introspection: true,
      auth: {
        apiKeys: [
          { name: 'corpus-editor', role: 'editor', key: EDITOR_KEY },
          { name: 'corpus-reader', role: 'reader', key: READER_KEY },
        ],
        jwtSecret: undefined,
        jwtPublicKey: jwtKeys.publicPem,
        jwtIssuer: ISSUER,
        jwtAudience: AUDIENCE,
        requireRead: false,
      },
    },
  });
});
afterAll(async () => {
  await service.stop();
  await client.close();
});

async function send(testCase: CorpusCase): Promise<HttpResult> {
  const spec = testCase.request;
  const url = new URL(`${service.url}${spec.path ?? '/graphql'}`);
  for (const [name, value] of Object.entries(spec.query ?? {})) url.searchParams.set(name, value);
  let body: string | Buffer | undefined;
  if (spec.raw !== undefined) body = spec.raw;
  else if (spec.body !== undefined) {
    const rendered = render(spec.body) as Record<string, unknown>;
    const variables = rendered.variables as Record<string, unknown> | undefined;
    if (variables && typeof variables.cursorFrom === 'string') {
      // A real cursor of another list.
      const page = await request(`${service.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ ${variables.cursorFrom}(first: 1) { pageInfo { endCursor } } }` }),
      });
      rendered.variables = { c: page.json.data[variables.cursorFrom as string].pageInfo.endCursor };
    }
    body = JSON.stringify(rendered);
  } else if (spec.padTo !== undefined) {
    const operation = '{"query":"{ stats { entityCount } }","padding":"';
    body = `${operation}${'x'.repeat(spec.padTo - operation.length - 2)}"}`;
  } else if (spec.gzipBomb !== undefined) {
    body = gzipSync(Buffer.from(`{"query":"{ stats { entityCount } }","padding":"${'0'.repeat(spec.gzipBomb)}"}`));
  } else if (spec.repeatBatch !== undefined) {
    body = JSON.stringify(Array.from({ length: spec.repeatBatch.times }, () => spec.repeatBatch!.item));
  }
  return request(url.toString(), {
    method: spec.method,
    headers: { ...(spec.headers ?? {}), ...(await authorization(testCase.auth)) },
    body,
  });
}

test(`the corpus has at least 100 cases, each stating the answer it expects`, () => {
  expect(corpus.cases.length).toBeGreaterThanOrEqual(100);
  for (const c of corpus.cases) expect(c.expect.status).toBeGreaterThanOrEqual(200);
  expect(new Set(corpus.cases.map((c) => c.name)).size).toBe(corpus.cases.length);
});

describe.each([...new Set(corpus.cases.map((c) => c.group))])('%s', (group) => {
  test.each(corpus.cases.filter((c) => c.group === group).map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    const before = await graphCounts();
    const answer = await send(testCase);
    const errors = (answer.json?.errors ?? []) as { extensions?: Record<string, unknown> }[];
    expect({ status: answer.status, code: errors[0]?.extensions?.code ?? null }).toEqual({
      status: testCase.expect.status,
      code: testCase.expect.code,
    });
    expect(answer.status).toBeLessThan(500);
    expect(answer.text).not.toContain('INTERNAL_SERVER_ERROR');
    expect(answer.text).not.toMatch(STACK_TRACE);
    if (testCase.expect.limit !== undefined) expect(errors[0]?.extensions?.limit).toBe(testCase.expect.limit);
    if (testCase.argumentName !== undefined) expect(errors[0]?.extensions?.argumentName).toBe(testCase.argumentName);
    if (testCase.data !== undefined) expect(answer.json?.data).toEqual(testCase.data);
    expect(await graphCounts()).toEqual(before);
  });
});
