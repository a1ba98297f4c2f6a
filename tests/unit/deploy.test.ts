/**
 * deploy/compose.yaml and deploy/Dockerfile cannot be run here (no Docker engine), so check what can be checked
 * without one: the YAML parses, the services are wired as the docs say, the API's environment is one that
 * src/config.ts accepts as production with an external Neo4j, and the Dockerfile copies files that exist.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { loadConfig } from '../../src/config';

const ROOT = path.resolve(__dirname, '..', '..');
const compose = load(readFileSync(path.join(ROOT, 'deploy', 'compose.yaml'), 'utf8')) as {
  services: Record<
    string,
    {
      image?: string;
      build?: { context: string; dockerfile: string };
      environment: Record<string, string>;
      depends_on?: Record<string, { condition: string }>;
      healthcheck?: { test: string[] };
    }
  >;
  volumes: Record<string, unknown>;
};

/** Compose's ${VAR}, ${VAR:-default} and ${VAR:?message} against the given variables. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_all, name: string, op: string | undefined, arg: string | undefined) => {
    const set = vars[name];
    if (set !== undefined && set !== '') return set;
    if (op === '?') throw new Error(`${name}: ${arg}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

test('the compose file runs the API beside Neo4j 5, after Neo4j is healthy', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['api', 'neo4j']);
  expect(compose.services.neo4j!.image).toMatch(/^neo4j:5\./);
  expect(compose.services.neo4j!.healthcheck?.test.join(' ')).toContain('7474');
  expect(compose.services.api!.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
  expect(compose.services.api!.depends_on).toEqual({ neo4j: { condition: 'service_healthy' } });
  expect(Object.keys(compose.volumes)).toContain('neo4j-data');
});

test("the API's environment is a valid production configuration against the Neo4j service", () => {
  const raw = compose.services.api!.environment;
  expect(() => interpolate(raw.NEO4J_PASSWORD!, {})).toThrow(/NEO4J_PASSWORD/);
  const env = Object.fromEntries(
    Object.entries(raw).map(([key, value]) => [key, interpolate(String(value), { NEO4J_PASSWORD: 'secret-password' })]),
  );
  const config = loadConfig(env);
  expect(config).toMatchObject({
    env: 'production',
    introspection: false,
    landingPage: false,
    corsOrigins: [],
    seedOnStart: true,
    metrics: true,
  });
  expect(config.neo4j).toMatchObject({
    mode: 'external',
    uri: 'neo4j://neo4j:7687',
    username: 'neo4j',
    password: 'secret-password',
    maxPoolSize: 50,
  });
  // Neo4j's password is the one the API uses.
  expect(interpolate(compose.services.neo4j!.environment.NEO4J_AUTH!, { NEO4J_PASSWORD: 'secret-password' })).toBe('neo4j/secret-password');
  expect(
    loadConfig({ ...env, CORS_ORIGINS: interpolate(raw.CORS_ORIGINS!, { CORS_ORIGINS: 'https://app.example.org' }) }).corsOrigins,
  ).toEqual(['https://app.example.org']);
});

test('the Dockerfile copies files that exist and starts the compiled entry point', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'deploy', 'Dockerfile'), 'utf8');
  const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
  expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'schema', 'src', 'seed']));
  for (const source of sources) expect(existsSync(path.join(ROOT, source))).toBe(true);
  expect(dockerfile).toContain('CMD ["node", "dist/index.js"]');
  // tsconfig.build.json compiles src/ to dist/ with src/index.ts as dist/index.js.
  expect(JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')).compilerOptions.rootDir).toBe('src');
  expect(existsSync(path.join(ROOT, 'src', 'index.ts'))).toBe(true);
});
