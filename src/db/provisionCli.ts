/**
 * `npm run neo4j:provision`: resolves the embedded Neo4j jars with Maven (first run: downloads from
 * Maven Central) and builds the launcher, then prints where everything is.
 *
 * Options: --cache-dir DIR (default .cache/neo4j), --force (run mvn even when the jars are there).
 * On a StartupError it prints only the one-line message to stderr and exits with status 1.
 */
import { isStartupError } from './embedded/errors';
import { provisionNeo4j } from './embedded/provision';

async function main(argv: string[]): Promise<void> {
  let cacheDir: string | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--force') force = true;
    else if (arg === '--cache-dir' && argv[i + 1]) cacheDir = argv[++i];
    else {
      process.stderr.write(`Unknown argument ${String(arg)}: usage: npm run neo4j:provision -- [--cache-dir DIR] [--force]\n`);
      process.exit(2);
    }
  }

  const started = Date.now();
  const result = await provisionNeo4j({
    ...(cacheDir !== undefined ? { cacheDir } : {}),
    force,
    onProgress: (line) => process.stdout.write(`${line}\n`),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    [
      result.fromCache
        ? `Neo4j ${result.neo4jVersion} is already provisioned (no download needed).`
        : `Provisioned Neo4j ${result.neo4jVersion} in ${seconds} s.`,
      `  launcher:  ${result.launcherJar}`,
      `  jars:      ${result.libDir} (${result.jarCount} jars)`,
      `  classpath: ${result.classpath}`,
      '',
    ].join('\n'),
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (isStartupError(error)) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Provisioning Neo4j failed unexpectedly: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
