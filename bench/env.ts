/**
 * Imported first by the bench entry points, before graphql, Express or Apollo load: they read NODE_ENV once,
 * at import, and a service in production runs with NODE_ENV=production (graphql-js, for one, skips its
 * development-only cross-realm checks in `instanceOf`, 5% of the CPU profile without it).
 */
process.env.NODE_ENV = 'production';
