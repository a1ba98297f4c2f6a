/**
 * The per-credential rate limit on mutations (src/rateLimit.ts) over real HTTP: past MUTATION_RATE_LIMIT a
 * minute, a credential's mutations get 429 with Retry-After before they run; other credentials and reads
 * are not held back. The mutations sent are invalid ingestions, so nothing is written.
 */
import type { Neo4jClient } from '../../src/db/neo4jClient';
import { NO_AUTH } from '../../src/auth';
import { openTestClient } from '../helpers/graphql';
import { postGraphQL, serveOnLoopback, type HttpService } from '../helpers/httpServer';

const FIRST = 'rate-test-first-editor-key-0123456789abcdef';
const SECOND = 'rate-test-second-editor-key-0123456789abcdef';
const INVALID_INGESTION = `mutation { ingestDocument(input: { document: { title: " ", text: "" }, relations: [] }) { created } }`;

let client: Neo4jClient;
let service: HttpService;

beforeAll(async () => {
  client = openTestClient();
  service = await serveOnLoopback({
    client,
    config: {
      env: 'test',
      introspection: true,
      mutationsPerMinute: 2,
      auth: {
        ...NO_AUTH,
        apiKeys: [
          { name: 'first', role: 'editor', key: FIRST },
          { name: 'second', role: 'editor', key: SECOND },
        ],
      },
    },
  });
});
afterAll(async () => {
  await service.stop();
  await client.close();
});

const mutate = (key: string) => postGraphQL(service.url, { query: INVALID_INGESTION }, { authorization: `Bearer ${key}` });

test('past the limit a credential gets 429 with Retry-After, before its mutation runs', async () => {
  for (let i = 0; i < 2; i += 1) {
    const allowed = await mutate(FIRST);
    expect(allowed.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  }
  const refused = await mutate(FIRST);
  expect(refused.status).toBe(429);
  expect(refused.json.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
  expect(refused.json.errors[0].message).toMatch(/MUTATION_RATE_LIMIT/);
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);

  // Another credential has its own allowance, and reads are not limited.
  expect((await mutate(SECOND)).json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  const read = await postGraphQL(service.url, { query: '{ stats { entityCount } }' }, { authorization: `Bearer ${FIRST}` });
  expect(read.status).toBe(200);
  expect(read.json.errors).toBeUndefined();
});
