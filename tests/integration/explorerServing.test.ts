/**
 * /explore as the service serves it (src/explorer.ts): on by default outside production, off in production
 * unless EXPLORER is on, built at start-up when the bundle is missing or stale, and a clear 503 when it
 * cannot be built. The page itself is tested in a browser by tests/e2e/explorer.test.ts.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import type { Neo4jClient } from '../../src/db/neo4jClient';
import { buildExplorerBundle, EXPLORER_ROOT, explorerBundleIsStale, explorerPaths, explorerRouter } from '../../src/explorer';
import { openTestClient, silentLogger } from '../helpers/graphql';
import { request, serveOnLoopback } from '../helpers/httpServer';

let client: Neo4jClient;
beforeAll(() => {
  client = openTestClient();
});
afterAll(async () => {
  await client.close();
});

test.each([
  ['development', 200, { env: 'development' as const, introspection: true }],
  ['production', 404, { env: 'production' as const, introspection: false }],
  ['production with EXPLORER=true', 200, { env: 'production' as const, introspection: false, explorer: true }],
])('%s: GET /explore answers %i', async (_name, status, config) => {
  const service = await serveOnLoopback({ client, config });
  try {
    const page = await request(`${service.url}/explore`);
    expect(page.status).toBe(status);
    if (status !== 200) return;
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('<script src="/explore/assets/explorer.js" defer></script>');
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const script = await request(`${service.url}/explore/assets/explorer.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.text.length).toBeGreaterThan(10_000);
    expect((await request(`${service.url}/explore/assets/nothing-here.js`)).status).toBe(404);
  } finally {
    await service.stop();
  }
});

describe('building the bundle', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'kg-explorer-'));
    cpSync(path.join(EXPLORER_ROOT, 'src'), path.join(root, 'src'), { recursive: true });
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  test('a missing bundle is built from the sources, and is stale again once a source changes', async () => {
    const paths = explorerPaths(root);
    expect(explorerBundleIsStale(root)).toBe(true);
    await buildExplorerBundle(root);
    expect(existsSync(paths.page)).toBe(true);
    // Cytoscape and the page's modules, bundled: hundreds of kilobytes, not a stub.
    expect(statSync(paths.script).size).toBeGreaterThan(200_000);
    expect(explorerBundleIsStale(root)).toBe(false);
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(paths.source, 'main.ts'), later, later);
    expect(explorerBundleIsStale(root)).toBe(true);
  });

  test('sources that do not build leave the API up and /explore answering 503 with the reason', async () => {
    writeFileSync(path.join(root, 'src', 'main.ts'), 'import { nothing } from "./no-such-module";\nnothing();\n');
    const app = express();
    app.use('/explore', await explorerRouter(silentLogger, root));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      const page = await request(`http://127.0.0.1:${port}/explore`);
      expect(page.status).toBe(503);
      expect(page.text).toMatch(/^The explorer is unavailable: the explorer bundle could not be built: .*no-such-module/);
    } finally {
      server.close();
    }
  });
});
