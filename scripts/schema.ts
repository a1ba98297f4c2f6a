/**
 * npm run schema:print | schema:check | schema:accept -- --reason "..." | schema:baseline
 * See scripts/schemaArtifact.ts for the files and docs/federation.md for the workflow.
 */
import path from 'node:path';
import {
  acceptBreakingChanges,
  checkSchema,
  defaultPaths,
  moveBaseline,
  REPO_ROOT,
  writePrinted,
  type ArtifactPaths,
  type SchemaChange,
} from './schemaArtifact';

const rel = (file: string) => path.relative(REPO_ROOT, file) || file;
const line = (change: SchemaChange) => `    ${change.type} ${change.path}: ${change.message}`;

/** Runs one command and returns the exit code; output goes to `out` (stdout) and `err` (stderr). */
export async function runSchemaCommand(
  argv: string[],
  paths: ArtifactPaths = defaultPaths(),
  out: (text: string) => void = (text) => process.stdout.write(text + '\n'),
  err: (text: string) => void = (text) => process.stderr.write(text + '\n'),
): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'print': {
      const changed = writePrinted(paths);
      out(changed ? `wrote ${rel(paths.printed)}` : `${rel(paths.printed)} is already up to date`);
      return 0;
    }
    case 'check': {
      const report = await checkSchema(paths);
      if (report.stale) err(`✗ ${rel(paths.printed)} is stale: it is not what schema/*.graphql prints. Run: npm run schema:print`);
      else out(`✓ ${rel(paths.printed)} is up to date`);
      if (report.missingBaseline) err(`✗ ${rel(paths.baseline)} is missing. Run: npm run schema:baseline`);
      if (report.unacknowledged.length > 0) {
        err(`✗ ${report.unacknowledged.length} breaking change(s) against ${rel(paths.baseline)} not acknowledged:`);
        report.unacknowledged.forEach((c) => err(line(c)));
        err('  Make the change backward compatible (deprecate instead of removing, add instead of changing), or, when');
        err('  every client and subgraph can take it, record why:  npm run schema:accept -- --reason "..."');
      }
      if (report.obsoleteAcknowledgements.length > 0) {
        err(
          `✗ ${rel(paths.accepted)} acknowledges change(s) that no longer happen; run npm run schema:accept -- --reason "..." to rewrite it:`,
        );
        report.obsoleteAcknowledgements.forEach((a) => err(`    ${a.type} ${a.path}`));
      }
      const acknowledged = report.breaking.length - report.unacknowledged.length;
      if (acknowledged > 0) out(`✓ ${acknowledged} breaking change(s) acknowledged in ${rel(paths.accepted)}`);
      if (report.dangerous.length > 0) {
        out(`! ${report.dangerous.length} dangerous change(s) (allowed; check that clients cope):`);
        report.dangerous.slice(0, 20).forEach((c) => out(line(c)));
        if (report.dangerous.length > 20) out(`    ... and ${report.dangerous.length - 20} more`);
      }
      if (report.safe.length > 0) out(`  ${report.safe.length} safe change(s) since the baseline`);
      if (report.ok) out('schema check passed');
      return report.ok ? 0 : 1;
    }
    case 'accept': {
      const index = rest.findIndex((arg) => arg === '--reason' || arg.startsWith('--reason='));
      const reason =
        index < 0 ? '' : rest[index]!.startsWith('--reason=') ? rest[index]!.slice('--reason='.length) : (rest[index + 1] ?? '');
      if (reason.trim() === '') {
        err('A reason is required: npm run schema:accept -- --reason "why this breaking change is acceptable"');
        return 2;
      }
      const { added, dropped } = await acceptBreakingChanges(paths, reason);
      out(`${rel(paths.accepted)}: ${added.length} newly acknowledged, ${dropped.length} dropped`);
      added.forEach((c) => out(line(c)));
      return 0;
    }
    case 'baseline': {
      moveBaseline(paths);
      out(`${rel(paths.baseline)} is now the current schema; ${rel(paths.accepted)} is empty`);
      return 0;
    }
    default:
      err('usage: tsx scripts/schema.ts print | check | accept --reason "..." | baseline');
      return 2;
  }
}

if (require.main === module) {
  runSchemaCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
