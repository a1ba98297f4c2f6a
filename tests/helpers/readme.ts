import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The ```graphql blocks of README.md, except the one sent through a router to the composed supergraph. */
export function readmeQueries(): string[] {
  return readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8')
    .split('```graphql\n')
    .slice(1)
    .map((block) => block.split('```')[0]!)
    .filter((query) => !query.includes('through the router') && !/^\s*mutation\b/.test(query));
}
