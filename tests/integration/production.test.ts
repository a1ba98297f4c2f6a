/**
 * Production mode over real HTTP against the real test database: what clients may no longer see (stack traces,
 * introspection, the Sandbox, field suggestions), what still works (`_service`), CSRF prevention, CORS, and
 * request ids on responses and on every log line. The configuration comes from loadConfig, as in the service.
 */
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { createDriver, Neo4jClient } from '../../src/db/neo4jClient';
import { createLogger } from '../../src/logger';
import { seedTestDatabase } from '../helpers/graphql';
import { testNeo4jUri } from '../helpers/neo4j';
import { postGraphQL, request, serveOnLoopback, type HttpService } from '../helpers/httpServer';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const TRACEPARENT = `00-${TRACE_ID}-b7ad6b7169203331-01`;
/** The script call that mounts Apollo's embedded Sandbox; the static production landing page has none. */
const MOUNTS_SANDBOX = 'new window.EmbeddedSandbox(';

/** Log lines as objects, in order, from a logger at trace level (so the per-statement Cypher lines show too). */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('trace', sink), lines };
}

const captured = capturingLogger();
let client: Neo4jClient;
let production: HttpService;
let development: HttpService;

beforeAll(async () => {
  client = new Neo4jClient(createDriver({ uri: testNeo4jUri() }), { queryTimeoutMs: 30_000, logger: captured.logger });
  await seedTestDatabase(client);
  production = await serveOnLoopback({ client, logger: captured.logger, config: loadConfig({ NODE_ENV: 'production' }) });
  development = await serveOnLoopback({ client, config: loadConfig({ NODE_ENV: 'development' }) });
});
afterAll(async () => {
  await production?.stop();
  await development?.stop();
  await client?.close();
});

describe('production defaults', () => {
  test('loadConfig turns introspection, the landing page and cross-origin access off', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ introspection: false, landingPage: false, corsOrigins: [] });
    expect(loadConfig({ NODE_ENV: 'development' })).toMatchObject({ introspection: true, landingPage: true, corsOrigins: '*' });
  });

  test('introspection is refused', async () => {
    for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Country") { name } }']) {
      const { json } = await postGraphQL(production.url, { query });
      expect(json.data).toBeUndefined();
      expect(json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(json.errors[0].message).toMatch(/introspection is not allowed/i);
    }
    // Development contrast.
    expect((await postGraphQL(development.url, { query: '{ __schema { queryType { name } } }' })).json.data.__schema.queryType.name).toBe(
      'Query',
    );
  });

  test('INTROSPECTION and LANDING_PAGE switch them back on explicitly', async () => {
    const explicit = await serveOnLoopback({
      client,
      config: loadConfig({ NODE_ENV: 'production', INTROSPECTION: 'true', LANDING_PAGE: 'true' }),
    });
    try {
      expect((await postGraphQL(explicit.url, { query: '{ __schema { queryType { name } } }' })).json.data.__schema.queryType.name).toBe(
        'Query',
      );
      const page = await request(`${explicit.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.text).toContain(MOUNTS_SANDBOX);
      // Still production: no suggestions.
      expect((await postGraphQL(explicit.url, { query: '{ entiy(id: "x") { id } }' })).json.errors[0].message).not.toContain(
        'Did you mean',
      );
    } finally {
      await explicit.stop();
    }
  });

  test('_service { sdl } still answers, so a router can compose the subgraph', async () => {
    const { json } = await postGraphQL(production.url, { query: '{ _service { sdl } __typename }' });
    expect(json.errors).toBeUndefined();
    expect(json.data.__typename).toBe('Query');
    expect(json.data._service.sdl).toContain('type Country implements Entity');
  });

  test('the Sandbox is off: production shows the static production landing page instead', async () => {
    const page = await request(`${production.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Welcome to Apollo Server');
    expect(page.text).not.toContain(MOUNTS_SANDBOX);
    // Development contrast: the embedded Sandbox.
    const sandbox = await request(`${development.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(sandbox.status).toBe(200);
    expect(sandbox.headers.get('content-type')).toContain('text/html');
    expect(sandbox.text).toContain(MOUNTS_SANDBOX);
  });

  test('field suggestions are hidden', async () => {
    const query = '{ entiy(id: "ukraine") { id } }';
    const { json } = await postGraphQL(production.url, { query });
    expect(json.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(json.errors[0].message).toContain('Cannot query field "entiy" on type "Query".');
    expect(json.errors[0].message).not.toContain('Did you mean');
    // Development contrast.
    expect((await postGraphQL(development.url, { query })).json.errors[0].message).toContain('Did you mean "entity"');
  });

  test('an unexpected error reaches the client as a bare internal error; the log has the stack and the request id', async () => {
    // A client whose reads throw a TypeError: a bug, as far as clients know.
    class BrokenClient extends Neo4jClient {
      override async read(): Promise<never> {
        throw new TypeError('a bug in reading');
      }
    }
    const broken = await serveOnLoopback({
      client: new BrokenClient(client.driver, { queryTimeoutMs: 1_000 }),
      logger: captured.logger,
      config: loadConfig({ NODE_ENV: 'production' }),
    });
    try {
      const { json, headers } = await postGraphQL(broken.url, { query: '{ entity(id: "ukraine") { id } }' });
      expect(json.errors).toEqual([{ message: 'Internal server error', path: ['entity'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
      const requestId = headers.get('x-request-id');
      const logged = captured.lines.find((line) => line.msg === 'unexpected error while resolving' && line.requestId === requestId);
      expect(logged).toBeDefined();
      expect((logged!.err as { stack: string }).stack).toMatch(/TypeError[\s\S]*\n\s+at /);
    } finally {
      await broken.stop();
    }
  });

  test('errors carry no stack trace, from GraphQL or from the HTTP layer', async () => {
    const badInput = await postGraphQL(production.url, { query: '{ search(text: "Macron", first: 1000) { score } }' });
    expect(badInput.json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'first' });

    const notJson = await request(`${production.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(notJson.status).toBe(400);
    expect(notJson.json).toEqual({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });

    for (const response of [badInput, notJson]) expect(response.text).not.toMatch(/\bat .+:\d+:\d+|stacktrace|SyntaxError/);
  });
});

describe('CSRF prevention', () => {
  test('a GET without a preflight-forcing header is blocked; with one it runs', async () => {
    const blocked = await request(`${production.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(blocked.status).toBe(400);
    expect(blocked.text).toMatch(/Cross-Site Request Forgery/);
    const allowed = await request(`${production.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.json).toEqual({ data: { __typename: 'Query' } });
  });

  test.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'a POST as %s (no preflight in a browser) is blocked',
    async (contentType) => {
      const blocked = await request(`${production.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(blocked.status).toBe(400);
      expect(blocked.text).toMatch(/Cross-Site Request Forgery/);
    },
  );
});

describe('CORS', () => {
  let allowList: HttpService;
  beforeAll(async () => {
    allowList = await serveOnLoopback({
      client,
      config: loadConfig({ NODE_ENV: 'production', CORS_ORIGINS: 'https://app.example.org, http://localhost:3000' }),
    });
  });
  afterAll(async () => {
    await allowList.stop();
  });

  const preflight = (url: string, origin: string) =>
    request(`${url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-request-id' },
    });

  test('by default in production no origin is allowed', async () => {
    const response = await preflight(production.url, 'https://app.example.org');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('CORS_ORIGINS allows exactly the listed origins, with the tracing headers', async () => {
    const allowed = await preflight(allowList.url, 'https://app.example.org');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.org');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-request-id');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('apollo-require-preflight');

    const post = await postGraphQL(allowList.url, { query: '{ __typename }' }, { origin: 'http://localhost:3000' });
    expect(post.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(post.headers.get('access-control-expose-headers')).toContain('x-request-id');

    const other = await preflight(allowList.url, 'https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('request ids', () => {
  test('an incoming x-request-id is echoed, and every line logged while serving it carries it', async () => {
    const from = captured.lines.length;
    const response = await postGraphQL(
      production.url,
      { query: '{ entity(id: "ukraine") { name } document(id: "paris-coalition-summit") { title } }' },
      { 'x-request-id': 'client-req-123' },
    );
    expect(response.json.errors).toBeUndefined();
    expect(response.headers.get('x-request-id')).toBe('client-req-123');
    const lines = captured.lines.slice(from);
    // At trace level the Neo4j client logs every statement (here two: the entity and the document), from a
    // logger that knows nothing of requests.
    expect(lines.filter((line) => line.msg === 'cypher').length).toBeGreaterThanOrEqual(2);
    expect(lines.map((line) => line.requestId)).toEqual(lines.map(() => 'client-req-123'));
  });

  test('a W3C traceparent is honoured: its trace id becomes the request id, and the header is echoed', async () => {
    const from = captured.lines.length;
    const response = await postGraphQL(production.url, { query: '{ entity(id: "france") { name } }' }, { traceparent: TRACEPARENT });
    expect(response.headers.get('x-request-id')).toBe(TRACE_ID);
    expect(response.headers.get('traceparent')).toBe(TRACEPARENT);
    const lines = captured.lines.slice(from);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.requestId === TRACE_ID && line.traceId === TRACE_ID)).toBe(true);
  });

  test('without either header a new id is made; an unsafe one is replaced; probes get one too', async () => {
    const fresh = await postGraphQL(production.url, { query: '{ __typename }' });
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await postGraphQL(production.url, { query: '{ __typename }' }, { 'x-request-id': 'abc def"}' });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await request(`${production.url}/health/live`, { headers: { 'x-request-id': 'probe-1' } })).headers.get('x-request-id')).toBe(
      'probe-1',
    );
  });
});
