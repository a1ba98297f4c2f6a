import { toLuceneQuery } from '../../src/data/exploration';

test('words become exact, prefix and one-typo clauses', () => {
  expect(toLuceneQuery('Zelen')).toBe('(zelen^4 OR zelen*^2 OR zelen~1)');
});

test('Lucene operators and quotes in user text never reach the index', () => {
  for (const hostile of ['AND (', '"', 'OR NOT', '*:*', 'a) OR (b', 'title:"x" AND', '\\', '~1^9', '{!', '[a TO z]']) {
    const query = toLuceneQuery(hostile);
    if (query === null) continue;
    expect(query).not.toMatch(/[":[\]{}!\\]/);
    expect(query.match(/\(/g)?.length).toBe(query.match(/\)/g)?.length);
  }
  expect(toLuceneQuery('"()"')).toBeNull();
});

test('accents are folded like the index folds them', () => {
  expect(toLuceneQuery('Nicolás')).toBe('(nicolas^4 OR nicolas*^2 OR nicolas~1)');
});
