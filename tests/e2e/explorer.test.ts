/**
 * The explorer at /explore, end to end: the real service on loopback over the real test database, driven in
 * Debian's headless Chromium (/usr/bin/chromium, never a downloaded browser) through playwright-core. One
 * browser serves the whole file; each test opens its own page and leaves a screenshot in
 * tests/e2e/screenshots/ (git-ignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Neo4jClient } from '../../src/db/neo4jClient';
import { readSeedGraph } from '../../src/seed/validate';
import { withDeprecatedOfficeFact } from '../helpers/deprecatedFact';
import { openTestClient, seedTestDatabase, TEST_AUTH, TEST_KEYS } from '../helpers/graphql';
import { postGraphQL, serveOnLoopback, type HttpService } from '../helpers/httpServer';
import { INGEST, smallDocument } from '../helpers/ingest';
import { until } from '../helpers/subscriptions';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(__dirname, 'screenshots');
const BUNDLE_BUDGET_GZIP = 600 * 1024;

let client: Neo4jClient;
let service: HttpService;
let browser: Browser;

beforeAll(async () => {
  client = openTestClient();
  await seedTestDatabase(client);
  // Reads are public; writes (the live test's ingestion) take the test editor key.
  service = await serveOnLoopback({ client, config: { env: 'test', introspection: true, auth: TEST_AUTH } });
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's browser with \`apt-get install -y chromium\` (.ci/run does).`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await client?.close();
});

interface OpenPage {
  page: Page;
  /** Requests that left the service's origin, and errors the page logged: both must stay empty. */
  foreignRequests: string[];
  pageErrors: string[];
}

async function open(query = ''): Promise<OpenPage> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(service.url) && !request.url().startsWith('data:')) foreignRequests.push(request.url());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(`${service.url}/explore${query}`);
  await settled(page);
  return { page, foreignRequests, pageErrors };
}

/** Waits until the graph has finished every load it started. */
async function settled(page: Page): Promise<void> {
  await page.locator('#graph[aria-busy="false"]').waitFor();
  await page.locator('#details-body:not([aria-busy="true"])').waitFor();
}

async function finish(opened: OpenPage, name: string): Promise<void> {
  await opened.page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  expect(opened.foreignRequests).toEqual([]);
  expect(opened.pageErrors).toEqual([]);
  await opened.page.close();
}

const hook = {
  nodeIds: (page: Page) => page.evaluate(() => (globalThis as any).explorer.nodeIds()),
  edgeIds: (page: Page) => page.evaluate(() => (globalThis as any).explorer.edgeIds()),
  pathEdgeIds: (page: Page) => page.evaluate(() => (globalThis as any).explorer.pathEdgeIds()),
  moreMarkers: (page: Page) => page.evaluate(() => (globalThis as any).explorer.moreMarkers()),
  lineStyle: (page: Page, id: string) => page.evaluate((edgeId) => (globalThis as any).explorer.lineStyle(edgeId), id),
  freshIds: (page: Page) => page.evaluate(() => (globalThis as any).explorer.freshIds()),
  position: async (page: Page, id: string) => {
    const point = await page.evaluate((elementId) => (globalThis as any).explorer.pagePosition(elementId), id);
    if (point === null) throw new Error(`${id} is not drawn`);
    return point;
  },
};

/** What the API itself answers, to compare the page against. */
async function api(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const result = await postGraphQL(service.url, { query, variables });
  expect(result.json.errors).toBeUndefined();
  return result.json.data;
}

async function neighbourhood(id: string, extra = ''): Promise<{ nodes: string[]; edges: string[] }> {
  const data = await api(`query ($id: ID!) { neighborhood(id: $id, limit: 100${extra}) { nodes { id } relations { id } } }`, { id });
  return {
    nodes: data.neighborhood.nodes.map((n: { id: string }) => n.id).sort(),
    edges: data.neighborhood.relations.map((r: { id: string }) => r.id).sort(),
  };
}

async function pickFromTypeahead(page: Page, input: string, text: string, optionName: string): Promise<void> {
  await page.locator(input).fill('');
  await page.locator(input).pressSequentially(text, { delay: 20 });
  const listbox = `${input}-results`;
  const option = page.locator(`${listbox} [role="option"]`, { hasText: optionName }).first();
  await option.waitFor();
  await expect(page.locator(input).getAttribute('aria-expanded')).resolves.toBe('true');
  await option.click();
  await settled(page);
}

test('/explore serves the page and a bundle under 600 KB gzipped, all from the service itself', async () => {
  const scripts: Buffer[] = [];
  const page = await browser.newPage();
  page.on('response', async (response) => {
    if (response.request().resourceType() === 'script') scripts.push(await response.body());
  });
  const response = await page.goto(`${service.url}/explore`);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await settled(page);
  await page.close();

  const opened = await open();
  const { page: shown } = opened;
  await expect(shown.title()).resolves.toBe('Knowledge graph explorer');
  await expect(shown.locator('#legend li').allTextContents()).resolves.toEqual([
    'Person',
    'Country',
    'Organisation',
    'Group',
    'Region',
    'City',
    'Facility',
    'Proposal',
    'Policy',
    'Event',
  ]);
  await expect(shown.locator('#graph-empty').isVisible()).resolves.toBe(true);
  await expect(hook.nodeIds(shown)).resolves.toEqual([]);

  expect(scripts).toHaveLength(1);
  const gzipped = gzipSync(scripts[0]!).length;
  process.stderr.write(`explorer bundle: ${scripts[0]!.length} bytes, ${gzipped} bytes gzipped\n`);
  expect(gzipped).toBeLessThan(BUNDLE_BUDGET_GZIP);
  await finish(opened, 'empty');
});

describe('exploring from Zelensky', () => {
  let opened: OpenPage;
  let page: Page;
  beforeAll(async () => {
    opened = await open();
    page = opened.page;
  });
  afterAll(async () => {
    await finish(opened, 'zelensky');
  });

  test('typing "Zelenskyy" offers Volodymyr Zelensky; picking him draws his neighbourhood', async () => {
    await pickFromTypeahead(page, '#search', 'Zelenskyy', 'Volodymyr Zelensky');
    const expected = await neighbourhood('volodymyr-zelensky');
    await expect(hook.nodeIds(page)).resolves.toEqual(expected.nodes);
    await expect(hook.edgeIds(page)).resolves.toEqual(expected.edges);
    expect(new URL(page.url()).searchParams.get('focus')).toBe('volodymyr-zelensky');
    await expect(page.locator('#details-heading').textContent()).resolves.toBe('Volodymyr Zelensky');
    await expect(page.locator('#timeline-caption').textContent()).resolves.toBe('Events linked to Volodymyr Zelensky');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'zelensky-focus.png') });
  });

  test('double-clicking an entity expands it and keeps what was drawn', async () => {
    const before = await hook.nodeIds(page);
    const { x, y } = await hook.position(page, 'paris-coalition-meeting');
    await page.mouse.dblclick(x, y);
    await settled(page);
    const after = await hook.nodeIds(page);
    const meeting = await neighbourhood('paris-coalition-meeting');
    expect(after).toEqual([...new Set([...before, ...meeting.nodes])].sort());
    expect(after.length).toBeGreaterThan(before.length);
    expect(after).toEqual(expect.arrayContaining(['keir-starmer', 'paris', 'mark-rutte']));
    expect(new URL(page.url()).searchParams.get('expand')).toBe('paris-coalition-meeting');
    await expect(page.locator('#list-view h3').first().textContent()).resolves.toBe(`Entities (${after.length})`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'zelensky-expanded.png') });
  });

  test('clicking a fact opens it with its quote highlighted inside the document text', async () => {
    // What the page must show, from the seed files the database was loaded from.
    const seed = readSeedGraph();
    const [evidence] = seed.relations.find((r) => r.id === 'zelensky-participates-in-paris-meeting')!.evidence;
    const document = seed.documents.find((d) => d.id === evidence!.document)!;
    const { x, y } = await hook.position(page, 'zelensky-participates-in-paris-meeting');
    await page.mouse.click(x, y);
    await settled(page);
    await expect(page.locator('#details-heading').textContent()).resolves.toBe(
      'Volodymyr Zelensky — participates in → Paris meeting of the Coalition of the Willing',
    );
    const body = page.locator('#details-body');
    await expect(body.locator('dd').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['NORMAL', 'ASSERTED', 'undated (counts as current)']),
    );
    await expect(body.locator('.doc-title').first().textContent()).resolves.toBe(document.title);
    await expect(body.locator('.doc-meta').first().textContent()).resolves.toMatch(/^publisher unknown · confidence \d+%$/);
    const text = body.locator('.doc-text').first();
    await expect(text.textContent()).resolves.toBe(document.text);
    await expect(text.locator('mark').textContent()).resolves.toBe(evidence!.quote);
    // The box scrolled to the quote: the mark is inside the box's visible area.
    const [boxArea, markArea] = [await text.boundingBox(), await text.locator('mark').boundingBox()];
    expect(markArea!.y).toBeGreaterThanOrEqual(boxArea!.y);
    expect(markArea!.y + markArea!.height).toBeLessThanOrEqual(boxArea!.y + boxArea!.height);
    expect(new URL(page.url()).searchParams.get('select')).toBe('fact:zelensky-participates-in-paris-meeting');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'fact-evidence.png') });
  });

  test('the path from Jared Kushner to Volodymyr Zelensky is highlighted and its hops listed', async () => {
    const { path: expected } = await api(
      `{ path(fromId: "jared-kushner", toId: "volodymyr-zelensky", maxHops: 4) { length hops { relation { id } } } }`,
    );
    await pickFromTypeahead(page, '#path-from', 'Kushner', 'Jared Kushner');
    await pickFromTypeahead(page, '#path-to', 'Zelensky', 'Volodymyr Zelensky');
    await page.getByRole('button', { name: 'Find the path' }).click();
    await settled(page);
    const hopIds = expected.hops.map((hop: { relation: { id: string } }) => hop.relation.id);
    await expect(hook.pathEdgeIds(page)).resolves.toEqual([...hopIds].sort());
    await expect(page.locator('#path-hops li').count()).resolves.toBe(expected.length);
    await expect(page.locator('#path-result [role="status"]').textContent()).resolves.toBe(
      `${expected.length} hops from Jared Kushner to Volodymyr Zelensky:`,
    );
    await expect(page.locator('#path-hops li').first().textContent()).resolves.toMatch(/^Jared Kushner /);
    await expect(page.locator('#list-view tr.on-path').count()).resolves.toBe(expected.length);
    const params = new URL(page.url()).searchParams;
    expect([params.get('from'), params.get('to')]).toEqual(['jared-kushner', 'volodymyr-zelensky']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'path.png') });
  });

  test('the deep link restores the same view', async () => {
    const url = new URL(page.url());
    const copy = await open(url.search);
    for (const read of [hook.nodeIds, hook.edgeIds, hook.pathEdgeIds]) {
      await expect(read(copy.page)).resolves.toEqual(await read(page));
    }
    for (const selector of ['#details-heading', '#path-result', '#timeline-caption', '#as-of-value']) {
      await expect(copy.page.locator(selector).textContent()).resolves.toBe(await page.locator(selector).textContent());
    }
    await expect(copy.page.locator('.doc-text mark').first().textContent()).resolves.toBe(
      await page.locator('.doc-text mark').first().textContent(),
    );
    await finish(copy, 'deep-link');
  });
});

test("the Paris meeting's neighbourhood, from a deep link", async () => {
  const opened = await open('?focus=paris-coalition-meeting&select=fact:macron-hosts-paris-meeting');
  const expected = await neighbourhood('paris-coalition-meeting');
  await expect(hook.nodeIds(opened.page)).resolves.toEqual(expected.nodes);
  await expect(hook.edgeIds(opened.page)).resolves.toEqual(expected.edges);
  await expect(opened.page.locator('#timeline-caption').textContent()).resolves.toBe(
    'Events linked to Paris meeting of the Coalition of the Willing',
  );
  await expect(opened.page.locator('#details-heading').textContent()).resolves.toBe(
    'Emmanuel Macron — hosts → Paris meeting of the Coalition of the Willing',
  );
  const hosts = readSeedGraph().relations.find((r) => r.id === 'macron-hosts-paris-meeting')!;
  await expect(opened.page.locator('#details-body mark').allTextContents()).resolves.toEqual(hosts.evidence.map((e) => e.quote));
  await finish(opened, 'paris-coalition-meeting');
});

test('moving the as-of slider before February 2022 removes the invasion facts', async () => {
  const opened = await open('?focus=russia');
  const { page } = opened;
  const invasion = 'russian-full-scale-invasion-of-ukraine';
  await expect(hook.nodeIds(page)).resolves.toContain(invasion);
  await expect(hook.edgeIds(page)).resolves.toContain('russia-carried-out-full-scale-invasion');

  const slider = page.locator('#as-of');
  const moveTo = async (keys: string[], label: string) => {
    await slider.focus();
    for (const key of keys) await page.keyboard.press(key);
    await expect(slider.getAttribute('aria-valuetext')).resolves.toBe(label);
    await settled(page);
  };
  // March 2022: the invasion (from February 2022) holds; undated facts count from today on, so they do not.
  await moveTo(['Home', ...Array<string>(22).fill('PageUp'), 'ArrowRight', 'ArrowRight'], 'As of March 2022');
  const march = await neighbourhood('russia', ', asOf: "2022-03"');
  await expect(hook.nodeIds(page)).resolves.toEqual(march.nodes);
  await expect(hook.edgeIds(page)).resolves.toEqual(['russia-carried-out-full-scale-invasion']);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'as-of-2022-03.png') });

  await moveTo(['ArrowLeft', 'ArrowLeft'], 'As of January 2022');
  await expect(hook.nodeIds(page)).resolves.toEqual(['russia']);
  await expect(hook.edgeIds(page)).resolves.toEqual([]);
  await expect(page.locator('#list-view h3').nth(1).textContent()).resolves.toBe('Facts (0)');
  expect(new URL(page.url()).searchParams.get('asOf')).toBe('2022-01');

  await moveTo(['End'], 'Any date (every fact)');
  await expect(hook.edgeIds(page)).resolves.toEqual((await neighbourhood('russia')).edges);
  await finish(opened, 'as-of');
});

test('keyboard alone can search, select an entity and open its evidence', async () => {
  const opened = await open();
  const { page } = opened;
  const active = () => page.evaluate(() => (globalThis as any).document.activeElement?.id ?? '');
  await page.keyboard.press('Tab');
  await expect(active()).resolves.toBe('search');
  await page.keyboard.type('Paris meeting', { delay: 20 });
  await page.locator('#search-results [role="option"]').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('#search').getAttribute('aria-activedescendant')).resolves.toBe('search-results-0');
  await expect(page.locator('#search-results-0').getAttribute('aria-selected')).resolves.toBe('true');
  await page.keyboard.press('Enter');
  await settled(page);
  expect(new URL(page.url()).searchParams.get('focus')).toBe('paris-coalition-meeting');

  for (let presses = 0; presses < 40 && (await active()) !== 'graph'; presses += 1) await page.keyboard.press('Tab');
  await expect(active()).resolves.toBe('graph');
  await page.keyboard.press('ArrowRight');
  const status = (await page.locator('#graph-status').textContent()) ?? '';
  const name = status.split(',')[0]!;
  expect(status).toMatch(/, [A-Z][a-z]+\. Enter opens it, E expands it\.$/);
  await page.keyboard.press('Enter');
  await settled(page);
  await expect(active()).resolves.toBe('details-heading');
  await expect(page.locator('#details-heading').textContent()).resolves.toBe(name);

  const onFact = () => page.evaluate(() => (globalThis as any).document.activeElement?.dataset.action === 'fact');
  for (let presses = 0; presses < 10 && !(await onFact()); presses += 1) await page.keyboard.press('Tab');
  expect(await onFact()).toBe(true);
  await page.keyboard.press('Enter');
  await settled(page);
  await expect(active()).resolves.toBe('details-heading');
  await expect(page.locator('#details-heading').textContent()).resolves.toContain('→');
  await expect(page.locator('#details-body .doc-text mark').count()).resolves.toBeGreaterThan(0);
  await finish(opened, 'keyboard');
});

test('a capped neighbourhood shows how many facts are left out; the marker raises the cap', async () => {
  const data = await api(`{
    capped: neighborhood(id: "ukraine", limit: 10) { truncated relations { source { id } target { id } } }
    entity(id: "ukraine") { relations(first: 0) { totalCount } }
  }`);
  expect(data.capped.truncated).toBe(true);
  const drawn = data.capped.relations.filter((r: any) => r.source.id === 'ukraine' || r.target.id === 'ukraine').length;
  const leftOut = data.entity.relations.totalCount - drawn;

  const opened = await open('?focus=ukraine&limit=10');
  const { page } = opened;
  await expect(hook.nodeIds(page)).resolves.toHaveLength(10);
  await expect(hook.moreMarkers(page)).resolves.toEqual([`${leftOut} more`]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'capped.png') });
  const { x, y } = await hook.position(page, 'more:ukraine');
  await page.mouse.click(x, y);
  await settled(page);
  expect(new URL(page.url()).searchParams.get('limit')).toBe('25');
  await expect(hook.nodeIds(page)).resolves.toEqual((await neighbourhood('ukraine')).nodes);
  await expect(hook.moreMarkers(page)).resolves.toEqual([]);
  await finish(opened, 'capped-raised');
});

test("the timeline lists the focused entity's events in date order; clicking one focuses it", async () => {
  const opened = await open('?focus=ukraine');
  const { page } = opened;
  const items = page.locator('#timeline-list button');
  await expect(items.allTextContents()).resolves.toEqual([
    expect.stringMatching(/^February 2022\s*Russian full-scale invasion of Ukraine$/),
    expect.stringMatching(/^undated\s*Ukrainian drone strikes/),
  ]);
  await items.first().click();
  await settled(page);
  expect(new URL(page.url()).searchParams.get('focus')).toBe('russian-full-scale-invasion-of-ukraine');
  await expect(hook.nodeIds(page)).resolves.toEqual((await neighbourhood('russian-full-scale-invasion-of-ukraine')).nodes);
  await finish(opened, 'timeline');
});

describe('a deprecated fact', () => {
  const deprecatedId = 'kg-e2e-deprecated-macron-office-uk';
  withDeprecatedOfficeFact(() => client, deprecatedId, 'emmanuel-macron', 'united-kingdom');

  test('is hidden until the toggle shows it, drawn dashed', async () => {
    const opened = await open('?focus=emmanuel-macron');
    const { page } = opened;
    await expect(hook.edgeIds(page)).resolves.not.toContain(deprecatedId);
    await expect(hook.nodeIds(page)).resolves.not.toContain('united-kingdom');
    await page.locator('#show-deprecated').check();
    await settled(page);
    await expect(hook.edgeIds(page)).resolves.toContain(deprecatedId);
    await expect(hook.lineStyle(page, deprecatedId)).resolves.toBe('dashed');
    await expect(hook.lineStyle(page, 'macron-holds-office-france')).resolves.toBe('solid');
    expect(new URL(page.url()).searchParams.get('deprecated')).toBe('1');
    await expect(page.locator(`#list-view tr[data-id="${deprecatedId}"]`).textContent()).resolves.toContain('deprecated');
    await page.locator('#show-deprecated').uncheck();
    await settled(page);
    await expect(hook.edgeIds(page)).resolves.not.toContain(deprecatedId);
    await finish(opened, 'deprecated');
  });
});

describe('live updates', () => {
  const FORUM = 'northern-security-forum-e2e';
  const DOCUMENTS = ['live-e2e-forum-opened', 'live-e2e-forum-hosted'];
  const editor = { authorization: `Bearer ${TEST_KEYS.editor}` };

  /** One fact from Keir Starmer to the (new) forum, in a document of its own. */
  const forumDocument = (id: string, type: 'PARTICIPATES_IN' | 'HOSTS', text: string, quote: string) =>
    smallDocument(text, {
      document: { id, title: `E2E live test: ${text}`, text },
      entities: [{ ref: 'forum', id: FORUM, kind: 'EVENT', name: 'Northern Security Forum', evidence: [{ quote, confidence: 0.9 }] }],
      relations: [{ type, source: { id: 'keir-starmer' }, target: { ref: 'forum' }, evidence: [{ quote, confidence: 0.9 }] }],
    });

  async function write(query: string, variables: Record<string, unknown>): Promise<any> {
    const result = await postGraphQL(service.url, { query, variables }, editor);
    expect(result.json.errors).toBeUndefined();
    return result.json.data;
  }

  // What the API wrote here is removed again: the forum, its facts, the two documents and their changes.
  afterAll(async () => {
    await client.write('MATCH (c:Change) WHERE $forum IN c.entityIds DETACH DELETE c', { forum: FORUM });
    await client.write('MATCH (d:Document) WHERE d.id IN $documents DETACH DELETE d', { documents: DOCUMENTS });
    await client.write('MATCH (e:Entity {id: $forum}) DETACH DELETE e', { forum: FORUM });
  });

  test('a document ingested through the API while the page is open appears without a reload, highlighted', async () => {
    const opened = await open('?focus=keir-starmer');
    const { page } = opened;
    await page.locator('#live-state[data-state="live"]').waitFor();
    // The page's subscription is registered (the pages of earlier tests are closed): nothing is sent too early.
    await until('the page subscribed', () => service.server.services.changes.listenerCount === 1);
    const before = await hook.edgeIds(page);
    expect(before).toEqual((await neighbourhood('keir-starmer')).edges);
    // Marks this very document: a reload would lose the mark.
    await page.evaluate(() => ((globalThis as any).loadedOnce = true));
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));

    const text = 'Keir Starmer opened the Northern Security Forum in Edinburgh on Monday.';
    const { ingestDocument } = await write(INGEST, {
      input: forumDocument(DOCUMENTS[0]!, 'PARTICIPATES_IN', text, 'Keir Starmer opened the Northern Security Forum'),
    });
    const fact = ingestDocument.relations[0].relation.id as string;
    await page.waitForFunction((id) => (globalThis as any).explorer.edgeIds().includes(id), fact);
    // Highlighted as new for a moment (2 s), like an expansion.
    await expect(hook.freshIds(page)).resolves.toEqual(expect.arrayContaining([fact, FORUM]));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'live-new-fact.png') });
    await expect(hook.edgeIds(page)).resolves.toEqual([...before, fact].sort());
    await expect(hook.edgeIds(page)).resolves.toEqual((await neighbourhood('keir-starmer')).edges);
    await expect(page.locator('#live-update').textContent()).resolves.toContain(ingestDocument.change.summary);
    await expect(page.evaluate(() => (globalThis as any).loadedOnce)).resolves.toBe(true);
    expect(navigations).toEqual([]);
    await settled(page);
    await expect(page.locator('#timeline-list').textContent()).resolves.toContain('Northern Security Forum');

    // The new fact's panel counts its supporting documents.
    const { x, y } = await hook.position(page, fact);
    await page.mouse.click(x, y);
    await settled(page);
    await expect(page.locator('#details-heading').textContent()).resolves.toBe('Keir Starmer — participates in → Northern Security Forum');
    const rows = async () =>
      Object.fromEntries(
        await page
          .locator('#details-body dl.facts dt')
          .evaluateAll((terms) => terms.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])),
      );
    await expect(rows()).resolves.toMatchObject({ 'Supported by': '1 document' });

    // A correction arrives live too: the fact superseded by a newer one leaves the graph, and its panel
    // says what replaced it.
    const hosted = 'Keir Starmer hosted the Northern Security Forum.';
    const second = await write(INGEST, {
      input: forumDocument(DOCUMENTS[1]!, 'HOSTS', hosted, 'Keir Starmer hosted the Northern Security Forum'),
    });
    const newer = second.ingestDocument.relations[0].relation.id as string;
    await page.waitForFunction((id) => (globalThis as any).explorer.edgeIds().includes(id), newer);
    await write(`mutation ($id: ID!, $byId: ID!) { supersedeRelation(id: $id, byId: $byId, reason: "He hosted it.") { id } }`, {
      id: fact,
      byId: newer,
    });
    await page.waitForFunction((id) => !(globalThis as any).explorer.edgeIds().includes(id), fact);
    await settled(page);
    await expect(rows()).resolves.toMatchObject({ Rank: 'DEPRECATED', 'Deprecated because': 'He hosted it.' });
    await expect(page.locator('#details-body dd button[data-action="fact"]').textContent()).resolves.toBe(
      'Keir Starmer — hosts → Northern Security Forum',
    );
    await expect(page.evaluate(() => (globalThis as any).loadedOnce)).resolves.toBe(true);
    await finish(opened, 'live');
  });
});
