/**
 * The graph explorer at /explore (issue 13): a static page bundled by esbuild from explorer/src, which
 * speaks only GraphQL to /graphql, like any other client. `npm install` builds the bundle (the `prepare`
 * script); start-up builds it again when it is missing or older than its sources, so a fresh clone and an
 * edited source both serve what is in explorer/src.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type * as Esbuild from 'esbuild';
import express from 'express';
import type { Logger } from './logger';

export const EXPLORER_ROOT = path.resolve(__dirname, '..', 'explorer');

/** Where the built page lives: index.html, and assets/explorer.js and .css. */
export function explorerPaths(root = EXPLORER_ROOT) {
  const dist = path.join(root, 'dist');
  return {
    source: path.join(root, 'src'),
    dist,
    page: path.join(dist, 'index.html'),
    assets: path.join(dist, 'assets'),
    script: path.join(dist, 'assets', 'explorer.js'),
  };
}

/**
 * The page's own rules: scripts, styles and requests only from this origin (nothing from a CDN can load
 * even by mistake). Cytoscape sets inline styles on its canvas, hence 'unsafe-inline' for styles alone.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export class ExplorerBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExplorerBuildError';
  }
}

function newestModification(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestModification(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** True when there is no bundle, or when its sources (if this copy has them) changed since it was built. */
export function explorerBundleIsStale(root = EXPLORER_ROOT): boolean {
  const paths = explorerPaths(root);
  if (!existsSync(paths.page) || !existsSync(paths.script)) return true;
  if (!existsSync(paths.source)) return false;
  return newestModification(paths.source) > statSync(paths.script).mtimeMs;
}

/**
 * Bundles explorer/src into explorer/dist with esbuild (a development dependency: a production image
 * ships the bundle it built). The new bundle is written beside the old one and swapped in whole, so a
 * server never serves half of one.
 */
export async function buildExplorerBundle(root = EXPLORER_ROOT): Promise<void> {
  const paths = explorerPaths(root);
  let esbuild: typeof Esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new ExplorerBuildError(
      'the explorer bundle cannot be built: esbuild is not installed (run `npm install`, then `npm run explorer:build`)',
    );
  }
  const staging = path.join(root, `.dist-${process.pid}-${Date.now()}`);
  try {
    await esbuild.build({
      entryPoints: { explorer: path.join(paths.source, 'main.ts') },
      outdir: path.join(staging, 'assets'),
      bundle: true,
      minify: true,
      sourcemap: 'linked',
      format: 'iife',
      platform: 'browser',
      target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
      define: { 'process.env.NODE_ENV': '"production"' },
      // The page's packages are the service's development dependencies, wherever the sources are.
      nodePaths: [path.resolve(__dirname, '..', 'node_modules')],
      logLevel: 'silent',
    });
    copyFileSync(path.join(paths.source, 'index.html'), path.join(staging, 'index.html'));
    rmSync(paths.dist, { recursive: true, force: true });
    renameSync(staging, paths.dist);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another process may have swapped its own build in first: that one is as good.
    if (!explorerBundleIsStale(root)) return;
    const detail = error instanceof Error ? error.message.split('\n').slice(0, 6).join(' ') : String(error);
    throw new ExplorerBuildError(`the explorer bundle could not be built: ${detail}`);
  }
}

/** Builds the bundle when it is missing or stale; says so in the log. */
export async function ensureExplorerBundle(logger: Logger, root = EXPLORER_ROOT): Promise<void> {
  if (!explorerBundleIsStale(root)) return;
  const started = Date.now();
  mkdirSync(root, { recursive: true });
  await buildExplorerBundle(root);
  logger.info({ ms: Date.now() - started, dir: explorerPaths(root).dist }, 'built the explorer bundle');
}

/**
 * The router mounted at /explore: the page and its assets. When the bundle cannot be built, the API still
 * starts and /explore answers 503 with what to do, which the log also says.
 */
export async function explorerRouter(logger: Logger, root = EXPLORER_ROOT): Promise<express.Router> {
  const paths = explorerPaths(root);
  const router = express.Router();
  let problem: string | null = null;
  try {
    await ensureExplorerBundle(logger, root);
  } catch (error) {
    problem = error instanceof ExplorerBuildError ? error.message : 'the explorer bundle could not be built';
    logger.error({ err: error }, problem);
  }
  router.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      // Asset names carry no hash: revalidate (ETag) rather than risk an old script against a new API.
      'Cache-Control': 'no-cache',
    });
    next();
  });
  router.get('/', (_req, res) => {
    if (problem !== null) {
      res.status(503).type('text/plain').send(`The explorer is unavailable: ${problem}.\n`);
      return;
    }
    res.sendFile(paths.page);
  });
  router.use('/assets', express.static(paths.assets, { index: false, redirect: false }));
  return router;
}
