/**
 * Who may write, over real HTTP: API keys and JWTs (HS256, and RS256 from a public key), the status codes
 * and error codes of every refusal, reads with AUTH_REQUIRE_READ, the actor the change log records, and
 * secrets kept out of the logs. Each refused write must leave the database as it was.
 */
import { generateKeyPair, exportSPKI, SignJWT, UnsecuredJWT } from 'jose';
import { Writable } from 'node:stream';
import { NO_AUTH, type AuthSettings } from '../../src/auth';
import { createLogger } from '../../src/logger';
import { openTestClient, TEST_AUTH, TEST_KEYS } from '../helpers/graphql';
import { postGraphQL, serveOnLoopback, type HttpService } from '../helpers/httpServer';
import { graphCounts, resetToSeed } from '../helpers/ingest';
import type { Neo4jClient } from '../../src/db/neo4jClient';

const SECRET = 'a-test-jwt-secret-of-at-least-32-characters!';
const DEPRECATE = 'mutation { deprecateRelation(id: "russia-rejects-peace-plan", reason: "auth test") { id rank } }';
const CHANGES = '{ changes(documentId: null, first: 50) { edges { node { actor operation } } } }';

let client: Neo4jClient;
const logs: string[] = [];
const logger = createLogger(
  'info',
  new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  }),
);

beforeAll(async () => {
  client = openTestClient();
  await resetToSeed(client);
});

afterAll(async () => {
  await resetToSeed(client);
  await client.close();
});

async function serve(auth: AuthSettings): Promise<HttpService> {
  return serveOnLoopback({ client, logger, config: { env: 'test', introspection: true, auth } });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function hs256(
  claims: Record<string, unknown>,
  options: { secret?: string; expiresIn?: string; issuer?: string; audience?: string } = {},
) {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setSubject(String(claims.sub ?? 'pipeline-7'));
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  jwt = jwt.setExpirationTime(options.expiresIn ?? '10m');
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

/** A write that must be refused: its status, code and message, and the database unchanged. */
async function refusedWrite(url: string, headers: Record<string, string>) {
  const before = await graphCounts(client);
  const response = await postGraphQL(url, { query: DEPRECATE }, headers);
  expect(await graphCounts(client)).toEqual(before);
  return {
    status: response.status,
    code: response.json?.errors?.[0]?.extensions?.code,
    message: response.json?.errors?.[0]?.message as string,
  };
}

describe('with no credentials configured', () => {
  test('every mutation is FORBIDDEN, with a message that says how to configure an editor key', async () => {
    const service = await serve(NO_AUTH);
    try {
      const outcome = await refusedWrite(service.url, bearer(TEST_KEYS.editor));
      expect(outcome).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(outcome.message).toMatch(/AUTH_API_KEYS="name:editor:/);
      // Reads stay public.
      expect((await postGraphQL(service.url, { query: '{ entity(id: "russia") { name } }' })).json.data.entity.name).toBe('Russia');
    } finally {
      await service.stop();
    }
  });
});

describe('API keys', () => {
  let service: HttpService;
  beforeAll(async () => (service = await serve(TEST_AUTH)));
  afterAll(async () => service.stop());

  test('no token: UNAUTHENTICATED, 401', async () => {
    expect(await refusedWrite(service.url, {})).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  test('a wrong key, or a header that is not a bearer token: UNAUTHENTICATED, 401, even to read', async () => {
    expect(await refusedWrite(service.url, bearer(`${TEST_KEYS.editor}x`))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await refusedWrite(service.url, { authorization: `Basic ${TEST_KEYS.editor}` })).toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    const read = await postGraphQL(service.url, { query: '{ entity(id: "russia") { name } }' }, bearer('not-a-key'));
    expect(read.status).toBe(401);
    expect(read.headers.get('www-authenticate')).toBe('Bearer');
  });

  test("a reader's key: FORBIDDEN, 403", async () => {
    expect(await refusedWrite(service.url, bearer(TEST_KEYS.reader))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  test("an editor's key writes, and the change log names the key", async () => {
    const response = await postGraphQL(service.url, { query: DEPRECATE }, bearer(TEST_KEYS.editor));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: { deprecateRelation: { id: 'russia-rejects-peace-plan', rank: 'DEPRECATED' } } });
    const log = await postGraphQL(service.url, { query: CHANGES });
    expect(log.json.data.changes.edges[0].node).toEqual({ actor: 'newsroom', operation: 'DEPRECATE_RELATION' });
  });

  test('keys never reach the logs', () => {
    const written = logs.join('');
    expect(written.length).toBeGreaterThan(0);
    for (const key of Object.values(TEST_KEYS)) expect(written).not.toContain(key);
  });
});

describe('JWTs', () => {
  let service: HttpService;
  beforeAll(async () => (service = await serve({ ...NO_AUTH, jwtSecret: SECRET, jwtIssuer: 'https://issuer.test', jwtAudience: 'kg' })));
  afterAll(async () => service.stop());
  const good = { issuer: 'https://issuer.test', audience: 'kg' };

  test('an HS256 token with the editor role writes, and the change log names its subject', async () => {
    const token = await hs256({ roles: ['editor'], sub: 'pipeline-7' }, good);
    const response = await postGraphQL(
      service.url,
      { query: 'mutation { deprecateRelation(id: "coalition-ally-of-ukraine", reason: "jwt test") { rank } }' },
      bearer(token),
    );
    expect(response.json).toEqual({ data: { deprecateRelation: { rank: 'DEPRECATED' } } });
    const log = await postGraphQL(service.url, { query: CHANGES });
    expect(log.json.data.changes.edges[0].node.actor).toBe('pipeline-7');
  });

  test.each([
    ['expired', () => hs256({ roles: ['editor'] }, { ...good, expiresIn: '-1m' }), 401, 'UNAUTHENTICATED'],
    ['from another issuer', () => hs256({ roles: ['editor'] }, { ...good, issuer: 'https://evil.test' }), 401, 'UNAUTHENTICATED'],
    ['for another audience', () => hs256({ roles: ['editor'] }, { ...good, audience: 'other' }), 401, 'UNAUTHENTICATED'],
    [
      'signed with another secret',
      () => hs256({ roles: ['editor'] }, { ...good, secret: 'another-secret-of-at-least-32-characters' }),
      401,
      'UNAUTHENTICATED',
    ],
    [
      'unsigned (alg: none)',
      async () => new UnsecuredJWT({ roles: ['editor'], sub: 'x' }).setIssuer(good.issuer).setAudience(good.audience).encode(),
      401,
      'UNAUTHENTICATED',
    ],
    ["with only the reader's role", () => hs256({ roles: ['reader'] }, good), 403, 'FORBIDDEN'],
    ['with no role', () => hs256({}, good), 403, 'FORBIDDEN'],
  ] as const)('a token %s is refused', async (_name, token, status, code) => {
    expect(await refusedWrite(service.url, bearer(await token()))).toMatchObject({ status, code });
  });
});

describe('RS256 from a public key', () => {
  test('a token signed with the private key writes; an HS256 token signed with the public key is refused', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const pem = await exportSPKI(publicKey);
    const service = await serve({ ...NO_AUTH, jwtPublicKey: pem });
    try {
      const signed = await new SignJWT({ roles: ['editor'] })
        .setProtectedHeader({ alg: 'RS256' })
        .setSubject('rs-pipeline')
        .setExpirationTime('5m')
        .sign(privateKey);
      const ok = await postGraphQL(
        service.url,
        { query: 'mutation { deprecateRelation(id: "peace-plan-aims-to-end-invasion", reason: "rs256 test") { rank } }' },
        bearer(signed),
      );
      expect(ok.json).toEqual({ data: { deprecateRelation: { rank: 'DEPRECATED' } } });
      // The classic confusion attack: the public key, which anyone has, used as an HMAC secret.
      const forged = await hs256({ roles: ['editor'], sub: 'attacker' }, { secret: pem });
      expect(await refusedWrite(service.url, bearer(forged))).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    } finally {
      await service.stop();
    }
  });
});

describe('AUTH_REQUIRE_READ', () => {
  test('reads need a credential: none is 401, a reader key reads', async () => {
    const service = await serve({ ...TEST_AUTH, requireRead: true });
    try {
      const anonymous = await postGraphQL(service.url, { query: '{ entity(id: "russia") { name } }' });
      expect(anonymous.status).toBe(401);
      expect(anonymous.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      const reader = await postGraphQL(service.url, { query: '{ entity(id: "russia") { name } }' }, bearer(TEST_KEYS.reader));
      expect(reader.json).toEqual({ data: { entity: { name: 'Russia' } } });
    } finally {
      await service.stop();
    }
  });
});
