/**
 * graphql-ws 6 publishes `graphql-ws/use/ws` through package.json `exports` only, which this project's
 * `moduleResolution: node` does not read (Node itself, tsx and jest do). This names the same types.
 */
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
