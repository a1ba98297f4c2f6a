/**
 * `npm run explorer:build` (and the `prepare` script, so `npm install` runs it): bundles explorer/src into
 * explorer/dist. An install without development dependencies has no esbuild: it says so and leaves the
 * build to an install that has them, without failing the install.
 */
import { buildExplorerBundle, explorerPaths } from './explorer';

async function main(): Promise<void> {
  try {
    require.resolve('esbuild');
  } catch {
    console.warn('explorer: esbuild is not installed (production install); the /explore bundle was not built.');
    return;
  }
  const started = Date.now();
  await buildExplorerBundle();
  console.log(`explorer: bundled into ${explorerPaths().dist} in ${Date.now() - started} ms`);
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
