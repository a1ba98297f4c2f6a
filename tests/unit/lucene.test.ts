import { toLuceneQuery } from '../../src/data/exploration';

test('words become exact, prefix and one-typo clauses, weighted by field', () => {
  const clause = '(zelen^4 OR zelen*^2 OR zelen~1)';
  expect(toLuceneQuery('Zelen')).toBe(`name:(${clause})^3 OR aliases:(${clause})^2 OR description:(zelen)`);
});

test('Lucene operators and quotes in user text never reach the index', () => {
  for (const hostile of ['AND (', '"', 'OR NOT', '*:*', 'a) OR (b', 'title:"x" AND', '\\', '~1^9', '{!', '[a TO z]']) {
    const query = toLuceneQuery(hostile);
    if (query === null) continue;
    expect(query.replace(/\b(name|aliases|description):/g, '')).not.toMatch(/[":[\]{}!\\]/);
    expect(query.match(/\(/g)?.length).toBe(query.match(/\)/g)?.length);
  }
  expect(toLuceneQuery('"()"')).toBeNull();
});

test('accents are folded like the index folds them', () => {
  expect(toLuceneQuery('Nicolás')).toContain('name:((nicolas^4 OR nicolas*^2 OR nicolas~1))^3');
});
