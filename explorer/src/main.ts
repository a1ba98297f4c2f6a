/**
 * The explorer page: wires the search, the graph, the side panel, the path finder, the timeline, the as-of
 * slider and the list view to one view state, which the URL mirrors.
 */
import './style.css';
import { onActions } from './actions';
import { ApiError, request } from './api';
import { AsOfSlider } from './asOfSlider';
import { Combobox, type EntityChoice } from './combobox';
import { NeighborhoodDocument, PathDocument, type PathQuery } from './generated/graphql';
import { GraphView, pieceFromApi, type GraphPiece } from './graph';
import { kindLabel, renderLegend } from './kinds';
import { ListView } from './listView';
import { LiveFeed, type LiveChange, type LiveState } from './live';
import { DetailsPanel } from './panel';
import { escapeHtml, relationLabel } from './text';
import { TimelineStrip } from './timelineStrip';
import { LIMITS, readState, writeState, type ViewState } from './viewState';

/** Read by the end-to-end tests: what the canvas holds, without reading pixels. */
export interface ExplorerTestHook {
  nodeIds(): string[];
  edgeIds(): string[];
  pathEdgeIds(): string[];
  /** The labels of the "N more" markers. */
  moreMarkers(): string[];
  /** How a fact's line is drawn: `solid`, `dashed` or `dotted`. */
  lineStyle(id: string): string | null;
  /** Where an entity or a fact's midpoint is on the page, in CSS pixels, for real clicks. */
  pagePosition(id: string): { x: number; y: number } | null;
  /** The entities and facts highlighted as new right now (for a moment after they are drawn). */
  freshIds(): string[];
}

declare global {
  interface Window {
    explorer?: ExplorerTestHook;
  }
}

function element<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The page has no #${id}`);
  return found as T;
}

const state: ViewState = readState(window.location.search);
let pathEdges = new Set<string>();
/** Each redraw has a number; the answers of a superseded one are dropped. */
let generation = 0;
let pending = 0;

const graphContainer = element('graph');
const errorBox = element('error');

const graph = new GraphView(graphContainer, {
  selectNode: (id) => void select(`entity:${id}`, false),
  selectEdge: (id) => void select(`fact:${id}`, false),
  expand: (id) => void track(expand(id)),
  more: (id) => void showMore(id),
  changed: () => renderList(),
});
const panel = new DetailsPanel(element('details-heading'), element('details-body'), {
  openFact: (id) => void select(`fact:${id}`, true),
  focusEntity: (id) => void focusOn(id),
  expandEntity: (id) => void track(expand(id)),
});
const list = new ListView(element('list-view'), {
  selectNode: (id) => void select(`entity:${id}`, true),
  expand: (id) => void track(expand(id)),
  openFact: (id) => void select(`fact:${id}`, true),
});
const timeline = new TimelineStrip(element('timeline-list'), element('timeline-caption'), (id) => void focusOn(id));
const slider = new AsOfSlider(
  element<HTMLInputElement>('as-of'),
  element('as-of-value'),
  (asOf) => {
    state.asOf = asOf;
    updateUrl('replace');
    void track(redraw());
  },
  // A redraw is coming: say so now, not only once the slider rests.
  () => graphContainer.setAttribute('aria-busy', 'true'),
);
/** A typeahead on the input `id`, its hits in `#<id>-results`, announced in `#<statusId>`. */
function combobox(id: string, statusId: string, onPick: (choice: EntityChoice) => void = () => undefined): Combobox {
  return new Combobox(element<HTMLInputElement>(id), element(`${id}-results`), element(statusId), onPick, showError);
}
combobox('search', 'search-status', (choice) => void focusOn(choice.id));
const pathFrom = combobox('path-from', 'path-status');
const pathTo = combobox('path-to', 'path-status');
const deprecatedToggle = element<HTMLInputElement>('show-deprecated');
const liveState = element('live-state');
const liveUpdate = element('live-update');
const live = new LiveFeed({ change: (change) => void track(applyChange(change)), state: showLiveState });
const limitSelect = element<HTMLSelectElement>('limit');

function showError(error: unknown): void {
  const message = error instanceof ApiError ? error.message : 'Something went wrong while drawing the graph.';
  if (!(error instanceof ApiError)) console.error(error);
  errorBox.textContent = message;
  errorBox.hidden = false;
}

/** Runs one piece of work with the graph marked busy (aria-busy), reporting its error instead of throwing. */
async function track(work: Promise<unknown>): Promise<void> {
  pending += 1;
  graphContainer.setAttribute('aria-busy', 'true');
  try {
    await work;
  } catch (error) {
    showError(error);
  } finally {
    pending -= 1;
    if (pending === 0) graphContainer.setAttribute('aria-busy', 'false');
  }
}

function updateUrl(mode: 'push' | 'replace'): void {
  const url = `${window.location.pathname}${writeState(state)}`;
  if (mode === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}

/** An entity's neighbourhood under the current filters, and how many of its facts the cap left out. */
async function neighbourhoodOf(id: string): Promise<{ piece: GraphPiece; more: number }> {
  const data = await request(NeighborhoodDocument, {
    id,
    depth: 1,
    limit: state.limit,
    asOf: state.asOf,
    includeDeprecated: state.includeDeprecated,
  });
  const piece = pieceFromApi(data.neighborhood.nodes, data.neighborhood.relations);
  const drawn = piece.edges.filter((e) => e.source === id || e.target === id).length;
  const total = data.entity?.relations.totalCount ?? drawn;
  return { piece, more: data.neighborhood.truncated ? Math.max(0, total - drawn) : 0 };
}

/** Draws the whole view from the state: the focus, each expansion, then the path and the selection. */
async function redraw(): Promise<void> {
  const mine = ++generation;
  errorBox.hidden = true;
  // Listening starts before the graph is read, so a change committed meanwhile is not missed.
  live.watch(state.focus);
  if (state.focus === null) {
    graph.clear();
    element('graph-empty').hidden = false;
    await timeline.show(null);
    return;
  }
  element('graph-empty').hidden = true;
  const focus = state.focus;
  const { piece, more } = await neighbourhoodOf(focus);
  if (mine !== generation) return;
  const centre = piece.nodes[0];
  if (!centre) {
    graph.clear();
    showError(new ApiError(`No entity has the id "${focus}".`, 'NOT_FOUND'));
    return;
  }
  graph.replace(piece, focus);
  graph.setMore(focus, more);
  for (const id of state.expanded) {
    const around = await neighbourhoodOf(id);
    if (mine !== generation) return;
    graph.merge(around.piece, { around: id, highlight: false });
    graph.setMore(id, around.more);
  }
  if (state.from !== null && state.to !== null) await showPath(mine);
  if (mine !== generation) return;
  await Promise.all([timeline.show(centre), showSelection(false)]);
}

/**
 * A change that touched the focused entity. New facts from an ingestion are added to what is drawn,
 * highlighted for a moment, around each drawn neighbourhood they touch; a correction (deprecation,
 * supersession, merge) can take facts and entities away, so the view is drawn again.
 */
async function applyChange(change: LiveChange): Promise<void> {
  const at = new Date(change.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  liveUpdate.textContent = `Updated at ${at}: ${change.summary}`;
  liveUpdate.title = liveUpdate.textContent;
  if (change.operation !== 'INGEST_DOCUMENT') {
    await redraw();
    return;
  }
  const mine = generation;
  const touched = new Set(change.entities.map((e) => e.id));
  for (const id of [state.focus, ...state.expanded]) {
    if (id === null || !touched.has(id)) continue;
    const { piece, more } = await neighbourhoodOf(id);
    if (mine !== generation) return;
    graph.merge(piece, { around: id, highlight: true });
    graph.setMore(id, more);
  }
  const centre = graph.entityNodes().find((node) => node.id === state.focus) ?? null;
  const [kind, ...rest] = (state.selected ?? '').split(':');
  const selected = rest.join(':');
  const selectionChanged = kind === 'fact' ? change.relations.some((r) => r.id === selected) : touched.has(selected);
  await Promise.all([centre ? timeline.show(centre) : undefined, selectionChanged ? showSelection(false) : undefined]);
}

function showLiveState(live: LiveState, details: { resumed: boolean; reason?: string }): void {
  liveState.dataset.state = live;
  liveState.textContent = {
    idle: '',
    connecting: 'Connecting for live updates…',
    live: 'Live: new facts appear as they are added',
    offline: `Live updates paused${details.reason ? ` (${details.reason})` : ''}; reconnecting…`,
    stopped: `Live updates stopped${details.reason ? ` (${details.reason})` : ''}; they resume when the view is drawn again.`,
  }[live];
  // Changes made while the connection was down were not sent: catch up by drawing the view again.
  if (live === 'live' && details.resumed) void track(redraw());
}

async function focusOn(id: string): Promise<void> {
  state.focus = id;
  state.expanded = [];
  state.selected = `entity:${id}`;
  updateUrl('push');
  await track(redraw());
}

/** Adds an entity's neighbours to what is drawn, highlighted for a moment. */
async function expand(id: string): Promise<void> {
  if (!state.expanded.includes(id) && id !== state.focus) {
    state.expanded.push(id);
    updateUrl('replace');
  }
  const mine = generation;
  const { piece, more } = await neighbourhoodOf(id);
  if (mine !== generation) return;
  graph.merge(piece, { around: id, highlight: true });
  graph.setMore(id, more);
  if (pathEdges.size > 0) await showPath(mine);
}

/** The "N more" marker: raise the cap to the next step and redraw. */
async function showMore(_id: string): Promise<void> {
  const next = LIMITS.find((limit) => limit > state.limit);
  if (next === undefined) return;
  state.limit = next;
  limitSelect.value = String(next);
  updateUrl('replace');
  await track(redraw());
}

async function select(selected: string, moveFocus: boolean): Promise<void> {
  state.selected = selected;
  updateUrl('replace');
  await track(showSelection(moveFocus));
}

async function showSelection(moveFocus: boolean): Promise<void> {
  const selected = state.selected;
  if (selected === null) {
    graph.select(null);
    panel.clear();
    return;
  }
  const [kind, ...rest] = selected.split(':');
  const id = rest.join(':');
  graph.select(graph.has(id) ? id : null);
  if (kind === 'fact') await panel.showRelation(id, moveFocus);
  else await panel.showEntity(id, { asOf: state.asOf, includeDeprecated: state.includeDeprecated }, moveFocus);
}

type FoundPath = NonNullable<PathQuery['path']>;

function hopHtml(hop: FoundPath['hops'][number]): string {
  const type = escapeHtml(relationLabel(hop.relation.type));
  const role = hop.relation.role ? ` (${escapeHtml(hop.relation.role)})` : '';
  const [from, to] = [escapeHtml(hop.from.name), escapeHtml(hop.to.name)];
  const text = hop.forward ? `${from} — ${type}${role} → ${to}` : `${from} ← ${type}${role} — ${to}`;
  return `<li><button type="button" data-action="fact" data-id="${escapeHtml(hop.relation.id)}">${text}</button></li>`;
}

/** Asks for the path between the chosen ends, adds it to the graph, marks it and lists its hops. */
async function showPath(mine = generation): Promise<void> {
  const result = element('path-result');
  const { from, to } = state;
  if (from === null || to === null) {
    pathEdges = new Set();
    graph.showPath([], []);
    result.innerHTML = '';
    renderList();
    return;
  }
  const { path } = await request(PathDocument, { fromId: from, toId: to, maxHops: 4 });
  if (mine !== generation) return;
  if (path === null) {
    pathEdges = new Set();
    graph.showPath([], []);
    result.innerHTML = '<p role="status">No connection within 4 hops.</p>';
    renderList();
    return;
  }
  const piece = pieceFromApi(
    path.nodes,
    path.hops.map((hop) => hop.relation),
  );
  graph.merge(piece, { highlight: true });
  pathEdges = new Set(piece.edges.map((e) => e.id));
  graph.showPath(
    piece.nodes.map((n) => n.id),
    [...pathEdges],
  );
  const [first, last] = [path.nodes[0], path.nodes[path.nodes.length - 1]];
  if (first && last) {
    pathFrom.setValue({ id: first.id, name: first.name, kind: first.kind });
    pathTo.setValue({ id: last.id, name: last.name, kind: last.kind });
  }
  result.innerHTML =
    `<p role="status">${path.length} ${path.length === 1 ? 'hop' : 'hops'} from ${escapeHtml(first?.name ?? from)} to ${escapeHtml(last?.name ?? to)}:</p>` +
    `<ol id="path-hops">${path.hops.map(hopHtml).join('')}</ol>`;
  renderList();
}

function renderList(): void {
  const nodes = graph.entityNodes();
  const edges = graph.edges();
  list.render(nodes, edges, pathEdges);
  graphContainer.setAttribute(
    'aria-label',
    `Graph of ${nodes.length} entities and ${edges.length} facts. Arrow keys move between entities, Enter opens one, E expands it.`,
  );
}

/** Puts the controls in line with the state (at start and after Back/Forward). */
function syncControls(): void {
  slider.set(state.asOf);
  state.asOf = slider.value();
  deprecatedToggle.checked = state.includeDeprecated;
  limitSelect.value = String(state.limit);
  for (const [box, id] of [
    [pathFrom, state.from],
    [pathTo, state.to],
  ] as const) {
    if (id === null) box.setValue(null);
  }
}

function wireControls(): void {
  limitSelect.innerHTML = LIMITS.map((limit) => `<option value="${limit}">${limit}</option>`).join('');
  deprecatedToggle.addEventListener('change', () => {
    state.includeDeprecated = deprecatedToggle.checked;
    updateUrl('replace');
    void track(redraw());
  });
  limitSelect.addEventListener('change', () => {
    state.limit = Number(limitSelect.value);
    updateUrl('replace');
    void track(redraw());
  });
  element('path-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const [from, to] = [pathFrom.value(), pathTo.value()];
    if (!from || !to) {
      element('path-result').innerHTML = '<p role="status">Choose both entities from the suggestions first.</p>';
      return;
    }
    void findPath(from, to);
  });
  element('path-clear').addEventListener('click', () => {
    state.from = null;
    state.to = null;
    pathFrom.setValue(null);
    pathTo.setValue(null);
    updateUrl('replace');
    void track(showPath());
  });
  onActions(element('path-result'), { fact: (id) => void select(`fact:${id}`, true) });
  graphContainer.addEventListener('keydown', (event) => {
    const status = element('graph-status');
    if (['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp'].includes(event.key)) {
      event.preventDefault();
      const node = graph.moveKeyboardCursor(event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : -1);
      status.textContent = node ? `${node.name}, ${kindLabel(node.kind)}. Enter opens it, E expands it.` : 'The graph is empty.';
      return;
    }
    const node = graph.keyboardNode();
    if (!node) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      void select(`entity:${node.id}`, true);
    } else if (event.key === 'e' || event.key === 'E' || event.key === '+') {
      event.preventDefault();
      status.textContent = `Expanding ${node.name}.`;
      void track(expand(node.id));
    }
  });
  window.addEventListener('popstate', () => {
    Object.assign(state, readState(window.location.search));
    syncControls();
    void track(redraw());
  });
  for (const tab of document.querySelectorAll<HTMLButtonElement>('[role="tab"]')) {
    tab.addEventListener('click', () => showTab(tab));
    tab.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
      const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
      const next = tabs[(tabs.indexOf(tab) + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      if (next) {
        showTab(next);
        next.focus();
      }
    });
  }
}

function showTab(chosen: HTMLButtonElement): void {
  for (const tab of document.querySelectorAll<HTMLButtonElement>('[role="tab"]')) {
    const on = tab === chosen;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    const panelId = tab.getAttribute('aria-controls');
    if (panelId) element(panelId).hidden = !on;
  }
  if (chosen.getAttribute('aria-controls') === 'graph-panel') graph.cy.resize();
}

async function findPath(from: EntityChoice, to: EntityChoice): Promise<void> {
  state.from = from.id;
  state.to = to.id;
  if (state.focus === null) {
    state.focus = from.id;
    updateUrl('replace');
    await track(redraw());
    return;
  }
  updateUrl('replace');
  await track(showPath());
}

window.explorer = {
  nodeIds: () =>
    graph
      .entityNodes()
      .map((n) => n.id)
      .sort(),
  edgeIds: () =>
    graph
      .edges()
      .map((e) => e.id)
      .sort(),
  pathEdgeIds: () => [...pathEdges].sort(),
  moreMarkers: () => graph.cy.nodes('.more').map((n) => n.data('name') as string),
  lineStyle: (id) => {
    const edge = graph.cy.getElementById(id);
    return edge.nonempty() && edge.isEdge() ? String(edge.style('line-style')) : null;
  },
  freshIds: () => graph.cy.elements('.fresh').map((e) => e.id()),
  pagePosition: (id) => {
    const point = graph.renderedPoint(id);
    if (point === null) return null;
    const box = graphContainer.getBoundingClientRect();
    return { x: box.left + point.x, y: box.top + point.y };
  },
};

renderLegend(element('legend'));
wireControls();
syncControls();
panel.clear();
void track(redraw());
