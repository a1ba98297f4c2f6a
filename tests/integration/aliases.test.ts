/** Names, aliases and metonyms lead to the entity meant, through the full-text search. */
import { readSeedGraph } from '../../src/seed/validate';
import { TestApi } from '../helpers/graphql';

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start();
});
afterAll(async () => {
  await api.stop();
});

async function topHits(text: string, first = 3): Promise<string[]> {
  const data = await api.data<{ search: { entity: { id: string } }[] }>(
    `query ($text: String!, $first: Int) { search(text: $text, first: $first) { entity { id } } }`,
    { text, first },
  );
  return data.search.map((hit) => hit.entity.id);
}

test.each([
  ['Moscow', 'russia'],
  ['the Kremlin', 'russia'],
  ['Washington', 'united-states'],
  ['Kyiv', 'ukraine'],
])('the metonym "%s" finds %s first', async (name, id) => {
  expect((await topHits(name))[0]).toBe(id);
});

test('every alias in the seed finds its entity among the top hits', async () => {
  const misses: string[] = [];
  for (const entity of readSeedGraph().entities) {
    for (const alias of [entity.name, ...entity.aliases]) {
      if (!(await topHits(alias, 5)).includes(entity.id)) misses.push(`${alias} -> ${entity.id}`);
    }
  }
  expect(misses).toEqual([]);
});
