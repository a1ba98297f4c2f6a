/**
 * npm run ingest -- FILE... [--url URL] [--dry-run]
 *
 * Posts documents to a running service's `ingestDocument` mutation, one at a time, with the editor token
 * from KG_TOKEN, and prints what became of each: created, matched, corroborated, refused (with the
 * reasons). A file is an IngestDocumentInput as JSON, or a pair `name.txt` (the text) + `name.json`
 * (everything else). Exits 1 when any document was refused or failed.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const USAGE = `usage: npm run ingest -- FILE... [--url URL] [--dry-run]

  FILE      an IngestDocumentInput as JSON, or name.txt with name.json beside it (the text and the rest)
  --url     the service's GraphQL endpoint (default: $KG_URL or http://localhost:4000/graphql)
  --dry-run validate and resolve everything, write nothing

The token comes from KG_TOKEN: an editor API key (AUTH_API_KEYS) or a JWT with the editor role.`;

const MUTATION = `mutation Ingest($input: IngestDocumentInput!, $dryRun: Boolean) {
  ingestDocument(input: $input, dryRun: $dryRun) {
    created
    document { id }
    entities { outcome }
    relations { outcome }
  }
}`;

interface Args {
  files: string[];
  url: string;
  dryRun: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { files: [], url: process.env.KG_URL ?? 'http://localhost:4000/graphql', dryRun: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--dry-run') args.dryRun = true;
    else if (arg === '--url') args.url = argv[++i] ?? '';
    else if (arg.startsWith('--url=')) args.url = arg.slice('--url='.length);
    else if (arg === '--help' || arg === '-h') throw new UsageError('');
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else args.files.push(arg);
  }
  if (args.files.length === 0) throw new UsageError('no file given');
  if (!/^https?:\/\//.test(args.url)) throw new UsageError(`--url must be an http(s) URL, not "${args.url}"`);
  return args;
}

class UsageError extends Error {}

/** The input a file holds: JSON alone, or a text with its JSON beside it (either may be named). */
export function readInput(file: string): Record<string, unknown> {
  const extension = path.extname(file);
  const base = file.slice(0, file.length - extension.length);
  const jsonFile = extension === '.txt' ? `${base}.json` : file;
  const textFile = extension === '.txt' ? file : `${base}.txt`;
  if (!existsSync(jsonFile)) throw new Error(`${jsonFile} is missing: a .txt needs its .json beside it`);
  const input = JSON.parse(readFileSync(jsonFile, 'utf8')) as { document?: Record<string, unknown> };
  if (typeof input.document !== 'object' || input.document === null) throw new Error(`${jsonFile} has no "document"`);
  if (input.document.text === undefined) {
    if (!existsSync(textFile)) throw new Error(`${jsonFile} has no document.text, and ${textFile} is missing`);
    input.document = { ...input.document, text: readFileSync(textFile, 'utf8') };
  }
  return input;
}

interface Outcome {
  file: string;
  status: 'created' | 'known' | 'refused' | 'failed';
  document?: string;
  counts: Record<string, number>;
  reasons: string[];
}

const tally = (items: { outcome: string }[]) =>
  items.reduce<Record<string, number>>((counts, item) => ({ ...counts, [item.outcome]: (counts[item.outcome] ?? 0) + 1 }), {});

async function ingestFile(file: string, args: Args, token: string): Promise<Outcome> {
  let input: Record<string, unknown>;
  try {
    input = readInput(file);
  } catch (error) {
    return { file, status: 'failed', counts: {}, reasons: [(error as Error).message] };
  }
  try {
    const response = await fetch(args.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: MUTATION, variables: { input, dryRun: args.dryRun } }),
    });
    const body = (await response.json().catch(() => null)) as {
      data?: {
        ingestDocument: { created: boolean; document: { id: string }; entities: { outcome: string }[]; relations: { outcome: string }[] };
      } | null;
      errors?: { message: string; extensions?: { code?: string; problems?: { path: string; message: string }[] } }[];
    } | null;
    const result = body?.data?.ingestDocument;
    if (result) {
      const entities = tally(result.entities);
      const relations = tally(result.relations);
      return {
        file,
        status: result.created ? 'created' : 'known',
        document: result.document.id,
        counts: {
          'entities created': entities.CREATED ?? 0,
          matched: entities.MATCHED ?? 0,
          'facts created': relations.CREATED ?? 0,
          corroborated: relations.CORROBORATED ?? 0,
          unchanged: relations.UNCHANGED ?? 0,
        },
        reasons: [],
      };
    }
    const errors = body?.errors ?? [{ message: `HTTP ${response.status}` }];
    const reasons = errors.flatMap((e) =>
      e.extensions?.problems?.length
        ? e.extensions.problems.map((p) => `${p.path}: ${p.message}`)
        : [`${e.extensions?.code ?? 'ERROR'}: ${e.message}`],
    );
    const refused = errors.some((e) => ['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN'].includes(e.extensions?.code ?? ''));
    return { file, status: refused ? 'refused' : 'failed', counts: {}, reasons };
  } catch (error) {
    return { file, status: 'failed', counts: {}, reasons: [`cannot reach ${args.url}: ${(error as Error).message}`] };
  }
}

function progress(done: number, total: number, label: string): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label.slice(0, 40).padEnd(40)}`);
  if (done === total) process.stderr.write('\n');
}

function table(outcomes: Outcome[]): string {
  const columns = ['entities created', 'matched', 'facts created', 'corroborated', 'unchanged'];
  const rows = [
    ['file', 'result', ...columns],
    ...outcomes.map((o) => [
      path.basename(o.file),
      o.status,
      ...columns.map((c) => (o.counts[c] === undefined ? '-' : String(o.counts[c]))),
    ]),
  ];
  const totals = columns.map((c) => String(outcomes.reduce((sum, o) => sum + (o.counts[c] ?? 0), 0)));
  rows.push([
    'total',
    `${outcomes.filter((o) => o.status === 'created').length} created, ${outcomes.filter((o) => o.status === 'refused' || o.status === 'failed').length} refused`,
    ...totals,
  ]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [
    line(rows[0]!),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1, -1).map(line),
    widths.map((w) => '-'.repeat(w)).join('  '),
    line(rows.at(-1)!),
  ].join('\n');
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) console.error(`error: ${error.message}`);
      console.error(USAGE);
      return 2;
    }
    throw error;
  }
  const token = process.env.KG_TOKEN?.trim();
  if (!token) {
    console.error('error: set KG_TOKEN to an editor key (AUTH_API_KEYS on the service) or a JWT with the editor role');
    return 2;
  }
  const outcomes: Outcome[] = [];
  for (const [i, file] of args.files.entries()) {
    progress(i, args.files.length, file);
    outcomes.push(await ingestFile(file, args, token));
  }
  progress(args.files.length, args.files.length, args.dryRun ? 'dry run done' : 'done');
  console.log(`${args.dryRun ? 'Dry run (nothing written): ' : ''}${args.url}\n`);
  console.log(table(outcomes));
  const refused = outcomes.filter((o) => o.reasons.length > 0);
  for (const o of refused) {
    console.log(`\n${o.file}: ${o.status}`);
    for (const reason of o.reasons) console.log(`  - ${reason}`);
  }
  return refused.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${(error as Error).message}`);
    process.exit(1);
  },
);
