/**
 * Jest runs TypeScript through ts-jest in transpile-only mode (tsconfig has isolatedModules: true, and
 * diagnostics are off): type errors are caught by `npm run typecheck` (tsc --noEmit), not here.
 *
 * One embedded Neo4j is started for the whole run by tests/setup/globalSetup.ts (or NEO4J_TEST_URI is
 * used when set); tests reach it through tests/helpers/neo4j.ts. Run with --runInBand (npm test does).
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }],
    // jose ships ES modules only, which Jest's CommonJS runtime cannot require on Node 20: compile them too.
    '/node_modules/jose/.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  globalSetup: '<rootDir>/tests/setup/globalSetup.ts',
  globalTeardown: '<rootDir>/tests/setup/globalTeardown.ts',
  testTimeout: 60_000,
};
