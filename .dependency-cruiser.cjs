/**
 * The layering of src/, checked by dependency-cruiser (`npm run lint:layers`, part of `npm run lint`).
 * A query travels schema/ → src/resolvers/ → src/planner/ → src/data/ → src/db/; data shapes live in
 * src/models/ and bounds in src/limits.ts. A layer may import the layers below it, never those above.
 */
const TOP = 'src/(context|server|schema|index|metrics|requestContext|config|subscriptions|responseCache)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'resolvers-are-the-top',
      comment: 'Only src/schema.ts assembles the resolvers; nothing below them may import them.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/resolvers/', '^src/schema\\.ts$'] },
      to: { path: '^src/resolvers/' },
    },
    {
      name: 'planner-is-below-resolvers',
      comment: 'The planner turns selections into Cypher; it never reaches up to resolvers, the server or the seed tools.',
      severity: 'error',
      from: { path: '^src/planner/' },
      to: { path: ['^src/resolvers/', '^src/seed/', TOP] },
    },
    {
      name: 'ingest-is-below-resolvers',
      comment: 'The write services (src/ingest) validate, resolve and write through src/data; they never reach up to GraphQL layers.',
      severity: 'error',
      from: { path: '^src/ingest/' },
      to: { path: ['^src/resolvers/', '^src/planner/', '^src/seed/', TOP] },
    },
    {
      name: 'data-is-below-the-planner',
      comment: 'src/data runs Cypher; it is handed plans as Cypher fragments and never imports the planner or anything above.',
      severity: 'error',
      from: { path: '^src/data/' },
      to: { path: ['^src/planner/', '^src/ingest/', '^src/resolvers/', '^src/seed/', TOP] },
    },
    {
      name: 'db-is-below-data',
      comment: 'src/db connects to and runs Neo4j; it knows nothing of the graph model queries or GraphQL.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: {
        path: ['^src/data/', '^src/planner/', '^src/ingest/', '^src/resolvers/', '^src/seed/', 'src/(context|server|schema|index)\\.ts$'],
      },
    },
    {
      name: 'seed-writes-through-data',
      comment: 'The seed tools load the graph through src/data (the one writer) and src/db, never through GraphQL layers.',
      severity: 'error',
      from: { path: '^src/seed/' },
      to: { path: ['^src/planner/', '^src/resolvers/', 'src/(context|server|schema)\\.ts$'] },
    },
    {
      name: 'models-are-the-bottom',
      comment: 'Data shapes depend on nothing but each other and the generated enums.',
      severity: 'error',
      from: { path: '^src/models/' },
      to: { path: '^src/', pathNot: ['^src/models/', '^src/generated/'] },
    },
    {
      name: 'limits-and-errors-are-leaves',
      comment: 'Bounds and error constructors are imported everywhere, so they import nothing of ours but each other.',
      severity: 'error',
      from: { path: '^src/(limits|errors)\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/errors\\.ts$', '^src/generated/'] },
    },
    {
      name: 'generated-imports-only-types',
      comment: 'The generated resolver types may name the context and the models, as types only.',
      severity: 'error',
      from: { path: '^src/generated/' },
      to: { path: '^src/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      comment: 'A cycle of runtime imports makes module order matter; type-only imports do not count.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
