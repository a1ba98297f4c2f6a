/** Re-renders results.md and chart.svg from a results.json: `npx tsx bench/render.ts [bench/results/results.json]`. */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { renderMarkdown, renderSvg, type BenchResults } from './report';

async function main(): Promise<void> {
  const file = path.resolve(process.argv[2] ?? path.join(__dirname, 'results', 'results.json'));
  const results = JSON.parse(await readFile(file, 'utf8')) as BenchResults;
  await writeFile(path.join(path.dirname(file), 'results.md'), renderMarkdown(results));
  await writeFile(path.join(path.dirname(file), 'chart.svg'), renderSvg(results));
  console.log(`rendered ${path.dirname(file)}/results.md and chart.svg`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
