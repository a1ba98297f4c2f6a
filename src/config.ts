import { createPublicKey } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { ROLES, type ApiKey, type AuthSettings, type Role } from './auth';
import {
  MUTATION_RATE_LIMIT,
  OPERATION_LIMITS,
  RESILIENCE_SETTINGS,
  RESPONSE_CACHE_SETTINGS,
  type IngestLimits,
  type OperationLimits,
  type ResilienceSettings,
  type ResponseCacheSettings,
  type Setting,
} from './limits';

const NEO4J_SCHEMES = ['bolt', 'bolt+s', 'bolt+ssc', 'neo4j', 'neo4j+s', 'neo4j+ssc'];

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const neo4jUri = optionalText.refine(
  (value) => {
    if (value === undefined) return true;
    const scheme = /^([a-z0-9+]+):\/\//i.exec(value)?.[1]?.toLowerCase();
    return scheme !== undefined && NEO4J_SCHEMES.includes(scheme);
  },
  { message: `must be a Neo4j URI with one of the schemes ${NEO4J_SCHEMES.join(', ')} (e.g. neo4j+s://xxxx.databases.neo4j.io)` },
);

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .optional()
  .transform((value) => (value === undefined ? undefined : ['true', '1', 'yes'].includes(value)));

/**
 * CORS_ORIGINS: `*` for any origin, or a comma-separated list of exact origins such as
 * `https://app.example.org,http://localhost:3000` (scheme, host and optional port; no path, no trailing slash).
 * Empty or unset means the default of the environment (see `loadConfig`).
 */
const corsOrigins = optionalText.transform((value, ctx): '*' | string[] | undefined => {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 1 && items[0] === '*') return '*';
  const bad = items.filter((item) => {
    if (item.includes('*')) return true;
    try {
      const url = new URL(item);
      return !['http:', 'https:'].includes(url.protocol) || url.origin !== item;
    } catch {
      return true;
    }
  });
  if (bad.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `must be * alone or a comma-separated list of origins like https://app.example.org (scheme://host[:port], no path or trailing slash); not valid: ${bad.join(', ')}`,
    });
    return z.NEVER;
  }
  return items;
});

/** The variables of a group of bounded settings (src/limits.ts), each an integer in its range. */
function settingVariables(settings: Readonly<Record<string, Setting>>) {
  return Object.fromEntries(
    Object.values(settings).map((s) => [s.variable, z.coerce.number().int().min(s.min).max(s.max).default(s.default)]),
  ) as Record<string, z.ZodDefault<z.ZodCoercedNumber>>;
}

/** A group of bounded settings as the service uses them, read from the parsed variables. */
function settingValues<K extends string>(settings: Readonly<Record<K, Setting>>, parsed: Record<string, unknown>): Record<K, number> {
  return Object.fromEntries(Object.entries<Setting>(settings).map(([key, s]) => [key, parsed[s.variable] as number])) as Record<K, number>;
}
/** A secret must be long enough that guessing it is hopeless. */
const MIN_SECRET_LENGTH = 32;

/**
 * AUTH_API_KEYS: `name:role:key,...`, e.g. `newsroom:editor:…,dashboard:reader:…`. Problems name the entry by
 * its position and name, never by its key: secrets do not reach logs.
 */
const apiKeys = optionalText.transform((value, ctx): ApiKey[] => {
  if (value === undefined) return [];
  const keys: ApiKey[] = [];
  value.split(',').forEach((entry, index) => {
    const [name = '', role = '', ...rest] = entry.trim().split(':');
    const key = rest.join(':');
    const where = `entry ${index + 1}${name ? ` ("${name}")` : ''}`;
    if (!/^[A-Za-z0-9_.@-]+$/.test(name))
      ctx.addIssue({ code: 'custom', message: `${where}: the name must be letters, digits, _ . @ or -` });
    else if (!ROLES.includes(role as Role)) ctx.addIssue({ code: 'custom', message: `${where}: the role must be ${ROLES.join(' or ')}` });
    else if (key.length < MIN_SECRET_LENGTH)
      ctx.addIssue({ code: 'custom', message: `${where}: the key must be at least ${MIN_SECRET_LENGTH} characters` });
    else keys.push({ name, role: role as Role, key });
  });
  if (new Set(keys.map((k) => k.name)).size !== keys.length) ctx.addIssue({ code: 'custom', message: 'two entries have the same name' });
  if (new Set(keys.map((k) => k.key)).size !== keys.length) ctx.addIssue({ code: 'custom', message: 'two entries have the same key' });
  return keys;
});

const jwtSecret = optionalText.refine((value) => value === undefined || value.length >= MIN_SECRET_LENGTH, {
  message: `must be at least ${MIN_SECRET_LENGTH} characters`,
});

/** A PEM public key; `\n` escapes are accepted, since environment files often hold one line. */
const publicKeyPem = optionalText.transform((value, ctx) => {
  if (value === undefined) return undefined;
  const pem = value.replace(/\\n/g, '\n');
  try {
    const type = createPublicKey(pem).asymmetricKeyType;
    if (type !== 'rsa' && type !== 'ec')
      ctx.addIssue({ code: 'custom', message: `must be an RSA or EC public key (RS256 or ES256), not ${type}` });
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a PEM public key (-----BEGIN PUBLIC KEY-----)' });
  }
  return pem;
});

/** Environment variables the service reads, each validated here and nowhere else. */
const envSchema = z.object({
  ...settingVariables(OPERATION_LIMITS),
  ...settingVariables(RESILIENCE_SETTINGS),
  ...settingVariables({ mutationsPerMinute: MUTATION_RATE_LIMIT }),
  ...settingVariables(RESPONSE_CACHE_SETTINGS),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: port(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NEO4J_URI: neo4jUri,
  NEO4J_USERNAME: optionalText,
  NEO4J_PASSWORD: optionalText,
  NEO4J_DATABASE: optionalText,
  NEO4J_QUERY_TIMEOUT_MS: positiveInt(10_000),
  NEO4J_MAX_POOL_SIZE: positiveInt(100),
  NEO4J_EMBEDDED_BOLT_PORT: port(7687),
  NEO4J_DATA_DIR: z.string().default('data/neo4j'),
  NEO4J_CACHE_DIR: z.string().default('.cache/neo4j'),
  NEO4J_HEAP_MB: positiveInt(512),
  NEO4J_PAGECACHE_MB: positiveInt(256),
  SEED_ON_START: booleanFlag,
  INTROSPECTION: booleanFlag,
  LANDING_PAGE: booleanFlag,
  CORS_ORIGINS: corsOrigins,
  METRICS: booleanFlag,
  EXPLORER: booleanFlag,
  AUTH_API_KEYS: apiKeys,
  AUTH_JWT_SECRET: jwtSecret,
  AUTH_JWT_PUBLIC_KEY: publicKeyPem,
  AUTH_JWT_ISSUER: optionalText,
  AUTH_JWT_AUDIENCE: optionalText,
  AUTH_REQUIRE_READ: booleanFlag,
  INGEST_MAX_TEXT_BYTES: positiveInt(1_048_576),
  INGEST_MAX_RELATIONS: positiveInt(500),
  RESPONSE_CACHE: booleanFlag,
});

export type Neo4jTarget =
  | { mode: 'external'; uri: string; username: string | undefined; password: string | undefined }
  | { mode: 'embedded'; boltPort: number; dataDir: string; cacheDir: string; heapMb: number; pageCacheMb: number };

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  neo4j: Neo4jTarget & { database: string | undefined; queryTimeoutMs: number; maxPoolSize: number };
  /** Bounds on one GraphQL operation, checked before it runs. */
  limits: OperationLimits;
  /** Deadlines, fail-fast and recovery when the database is slow or down. */
  resilience: ResilienceSettings;
  /** MUTATION_RATE_LIMIT: mutations one credential may start a minute. */
  mutationsPerMinute: number;
  /** Load the seed graph at start when the database is empty. On by default only for the embedded database. */
  seedOnStart: boolean;
  /** Introspection is on outside production unless switched off, and off in production unless switched on. */
  introspection: boolean;
  /** The Apollo Sandbox landing page at GET /graphql: like introspection, off in production unless switched on. */
  landingPage: boolean;
  /**
   * Browser origins allowed to call the API cross-origin: `*` (any) or an exact list. Outside production the
   * default is `*` (the embedded Sandbox needs it); in production the default is none (same-origin only).
   */
  corsOrigins: '*' | string[];
  /** Serve Prometheus metrics at GET /metrics (on by default). */
  metrics: boolean;
  /** Serve the graph explorer page at GET /explore: on outside production, off in production unless switched on. */
  explorer: boolean;
  /** Who may write and read (src/auth.ts). Writes are closed unless a credential is configured. */
  auth: AuthSettings;
  /** Bounds on one ingested document. */
  ingest: IngestLimits;
  /** RESPONSE_CACHE: whole answers of queries kept in memory while their cache hints allow (off by default). */
  responseCache: ResponseCacheSettings & { enabled: boolean };
}

/** The defaults of the settings that differ between production and the other environments. */
export function environmentDefaults(env: Config['env']): Pick<Config, 'introspection' | 'landingPage' | 'corsOrigins' | 'explorer'> {
  const production = env === 'production';
  return { introspection: !production, landingPage: !production, corsOrigins: production ? [] : '*', explorer: !production };
}

/** Raised with every problem found, one per line, so a bad environment is fixed in one pass. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  }
  const e = parsed.data;
  if ((e.NEO4J_USERNAME === undefined) !== (e.NEO4J_PASSWORD === undefined)) {
    throw new ConfigError(['NEO4J_USERNAME and NEO4J_PASSWORD must be set together']);
  }
  if (e.NEO4J_URI === undefined && e.NEO4J_USERNAME !== undefined) {
    throw new ConfigError(['NEO4J_USERNAME is set but NEO4J_URI is not: set NEO4J_URI to use an external database']);
  }
  const target: Neo4jTarget =
    e.NEO4J_URI !== undefined
      ? { mode: 'external', uri: e.NEO4J_URI, username: e.NEO4J_USERNAME, password: e.NEO4J_PASSWORD }
      : {
          mode: 'embedded',
          boltPort: e.NEO4J_EMBEDDED_BOLT_PORT,
          dataDir: path.resolve(cwd, e.NEO4J_DATA_DIR),
          cacheDir: path.resolve(cwd, e.NEO4J_CACHE_DIR),
          heapMb: e.NEO4J_HEAP_MB,
          pageCacheMb: e.NEO4J_PAGECACHE_MB,
        };
  const defaults = environmentDefaults(e.NODE_ENV);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    neo4j: { ...target, database: e.NEO4J_DATABASE, queryTimeoutMs: e.NEO4J_QUERY_TIMEOUT_MS, maxPoolSize: e.NEO4J_MAX_POOL_SIZE },
    limits: settingValues(OPERATION_LIMITS, e),
    resilience: settingValues(RESILIENCE_SETTINGS, e),
    mutationsPerMinute: settingValues({ mutationsPerMinute: MUTATION_RATE_LIMIT }, e).mutationsPerMinute,
    seedOnStart: e.SEED_ON_START ?? target.mode === 'embedded',
    introspection: e.INTROSPECTION ?? defaults.introspection,
    landingPage: e.LANDING_PAGE ?? defaults.landingPage,
    corsOrigins: e.CORS_ORIGINS ?? defaults.corsOrigins,
    metrics: e.METRICS ?? true,
    explorer: e.EXPLORER ?? defaults.explorer,
    auth: {
      apiKeys: e.AUTH_API_KEYS,
      jwtSecret: e.AUTH_JWT_SECRET,
      jwtPublicKey: e.AUTH_JWT_PUBLIC_KEY,
      jwtIssuer: e.AUTH_JWT_ISSUER,
      jwtAudience: e.AUTH_JWT_AUDIENCE,
      requireRead: e.AUTH_REQUIRE_READ ?? false,
    },
    ingest: { maxTextBytes: e.INGEST_MAX_TEXT_BYTES, maxRelations: e.INGEST_MAX_RELATIONS },
    responseCache: { enabled: e.RESPONSE_CACHE ?? false, ...settingValues(RESPONSE_CACHE_SETTINGS, e) },
  };
}
