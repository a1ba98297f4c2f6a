/**
 * The canvas: cytoscape drawing entities and facts. Everything that reaches the graph goes through
 * `merge`, which keeps what is already drawn and briefly highlights what is new, so that expanding a node,
 * showing a path and (later) live updates all add to the view the same way.
 */
import cytoscape from 'cytoscape';
import type { EntityKind, GraphEdgeFragment, GraphNodeFragment, Rank, RelationType } from './generated/graphql';
import { KIND_STYLES, KINDS } from './kinds';
import { relationLabel } from './text';

export interface GraphNode {
  id: string;
  name: string;
  kind: EntityKind;
}

export interface GraphEdge {
  id: string;
  type: RelationType;
  rank: Rank;
  source: string;
  target: string;
}

export interface GraphPiece {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface GraphHandlers {
  selectNode(id: string): void;
  selectEdge(id: string): void;
  expand(id: string): void;
  /** The "N more" marker of an entity was activated. */
  more(id: string): void;
  /** The elements drawn changed (the list view redraws). */
  changed(): void;
}

/** How long new elements stay highlighted after `merge`. */
const FRESH_MS = 2000;
/** Above this many entities the first view uses a force-directed layout instead of rings. */
const RING_LAYOUT_MAX = 40;

export function pieceFromApi(nodes: readonly GraphNodeFragment[], edges: readonly GraphEdgeFragment[]): GraphPiece {
  return {
    nodes: nodes.map(({ id, name, kind }) => ({ id, name, kind })),
    edges: edges.map(({ id, type, rank, source, target }) => ({ id, type, rank, source: source.id, target: target.id })),
  };
}

const moreId = (entityId: string) => `more:${entityId}`;

function stylesheet(): cytoscape.StylesheetJson {
  return [
    {
      selector: 'node',
      style: {
        label: 'data(name)',
        'font-size': 11,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-wrap': 'wrap',
        'text-max-width': '120px',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.8,
        'text-background-padding': '1px',
        width: 28,
        height: 28,
        'border-width': 1,
        'border-color': '#333333',
      },
    },
    ...KINDS.map((kind) => ({
      selector: `node[kind = "${kind}"]`,
      style: { 'background-color': KIND_STYLES[kind].colour, shape: KIND_STYLES[kind].shape },
    })),
    {
      selector: 'edge',
      style: {
        label: 'data(label)',
        'font-size': 9,
        color: '#444444',
        'text-rotation': 'autorotate',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': '1px',
        width: 1.5,
        'line-color': '#9a9a9a',
        'target-arrow-color': '#9a9a9a',
        'target-arrow-shape': 'triangle',
        'curve-style': 'bezier',
      },
    },
    { selector: 'edge.deprecated', style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 4], color: '#8a8a8a' } },
    { selector: 'node.focus', style: { width: 40, height: 40, 'border-width': 3, 'font-weight': 'bold' } },
    { selector: 'node.keyboard', style: { 'overlay-color': '#1a56db', 'overlay-opacity': 0.25, 'overlay-padding': 6 } },
    {
      selector: ':selected',
      style: { 'border-width': 4, 'border-color': '#1a56db', 'line-color': '#1a56db', 'target-arrow-color': '#1a56db' },
    },
    { selector: '.fresh', style: { 'overlay-color': '#f5c400', 'overlay-opacity': 0.45, 'overlay-padding': 8 } },
    { selector: '.faded', style: { opacity: 0.25 } },
    { selector: 'node.path', style: { 'border-width': 4, 'border-color': '#c81e1e' } },
    { selector: 'edge.path', style: { width: 4, 'line-color': '#c81e1e', 'target-arrow-color': '#c81e1e', color: '#c81e1e' } },
    {
      selector: 'node.more',
      style: {
        label: 'data(name)',
        shape: 'round-rectangle',
        width: 70,
        height: 22,
        'background-color': '#f3f4f6',
        'border-style': 'dashed',
        'text-valign': 'center',
        'text-margin-y': 0,
        'font-size': 10,
      },
    },
    { selector: 'edge.more', style: { 'line-style': 'dotted', 'target-arrow-shape': 'none', label: '' } },
  ];
}

export class GraphView {
  readonly cy: cytoscape.Core;
  private focusId: string | null = null;
  private keyboardIndex = -1;

  constructor(
    container: HTMLElement,
    private readonly handlers: GraphHandlers,
  ) {
    this.cy = cytoscape({
      container,
      style: stylesheet(),
      minZoom: 0.15,
      maxZoom: 3,
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
      selectionType: 'single',
      hideEdgesOnViewport: false,
    });
    this.cy.on('tap', 'node', (event) => {
      const node = event.target as cytoscape.NodeSingular;
      if (node.hasClass('more')) handlers.more(node.data('of') as string);
      else handlers.selectNode(node.id());
    });
    this.cy.on('tap', 'edge', (event) => {
      const edge = event.target as cytoscape.EdgeSingular;
      if (!edge.hasClass('more')) handlers.selectEdge(edge.id());
    });
    this.cy.on('dbltap', 'node', (event) => {
      const node = event.target as cytoscape.NodeSingular;
      if (!node.hasClass('more')) handlers.expand(node.id());
    });
  }

  /** Draws a new view around `focusId`, replacing whatever was drawn. */
  replace(piece: GraphPiece, focusId: string): void {
    this.cy.elements().remove();
    this.focusId = focusId;
    this.keyboardIndex = -1;
    this.cy.add([...piece.nodes.map(nodeElement), ...piece.edges.map(edgeElement)]);
    this.cy.getElementById(focusId).addClass('focus');
    const layout: cytoscape.LayoutOptions =
      piece.nodes.length <= RING_LAYOUT_MAX
        ? {
            name: 'concentric',
            concentric: (node: cytoscape.NodeSingular) => (node.id() === focusId ? 2 : 1),
            levelWidth: () => 1,
            minNodeSpacing: 110,
            animate: false,
          }
        : { name: 'cose', animate: false, randomize: false, numIter: 600, nodeRepulsion: () => 60_000, idealEdgeLength: () => 90 };
    this.cy.layout(layout).run();
    this.cy.fit(undefined, 40);
    this.handlers.changed();
  }

  /**
   * Adds what is not drawn yet and keeps the rest. New entities are placed around `around` (the expanded
   * entity) or next to an entity they are linked to; new elements are highlighted for a moment when
   * `highlight` is set. Returns the ids added.
   */
  merge(piece: GraphPiece, options: { around?: string; highlight: boolean }): { nodes: string[]; edges: string[] } {
    const newNodes = piece.nodes.filter((n) => this.cy.getElementById(n.id).empty());
    const added = this.cy.add(newNodes.map(nodeElement));
    const newEdges = piece.edges.filter(
      (e) => this.cy.getElementById(e.id).empty() && !this.cy.getElementById(e.source).empty() && !this.cy.getElementById(e.target).empty(),
    );
    const addedEdges = this.cy.add(newEdges.map(edgeElement));
    this.place(added.nodes(), options.around);
    if (options.highlight) {
      const fresh = added.union(addedEdges);
      fresh.addClass('fresh');
      window.setTimeout(() => fresh.removeClass('fresh'), FRESH_MS);
    }
    if (added.nonempty()) this.cy.fit(undefined, 40);
    if (added.nonempty() || addedEdges.nonempty()) this.handlers.changed();
    return { nodes: newNodes.map((n) => n.id), edges: newEdges.map((e) => e.id) };
  }

  /** Shows (count > 0) or removes the "N more" marker beside an entity whose neighbourhood was capped. */
  setMore(entityId: string, count: number): void {
    this.cy.getElementById(moreId(entityId)).remove();
    const entity = this.cy.getElementById(entityId);
    if (count <= 0 || entity.empty()) return;
    const { x, y } = entity.position();
    const centre = this.centre();
    const angle = Math.atan2(y - centre.y, x - centre.x) || -Math.PI / 2;
    this.cy.add([
      {
        group: 'nodes',
        data: { id: moreId(entityId), of: entityId, name: `${count} more` },
        classes: 'more',
        position: { x: x + Math.cos(angle) * 70, y: y + Math.sin(angle) * 70 },
      },
      { group: 'edges', data: { id: `${moreId(entityId)}:edge`, source: entityId, target: moreId(entityId) }, classes: 'more' },
    ]);
  }

  /** Marks the path's entities and facts and fades the rest; an empty path clears the marks. */
  showPath(nodeIds: readonly string[], edgeIds: readonly string[]): void {
    this.cy.elements().removeClass('path faded');
    if (nodeIds.length === 0) return;
    const onPath = this.cy.collection();
    for (const id of [...nodeIds, ...edgeIds]) onPath.merge(this.cy.getElementById(id));
    onPath.addClass('path');
    this.cy.elements().difference(onPath).addClass('faded');
  }

  select(id: string | null): void {
    this.cy.elements().unselect();
    if (id !== null) this.cy.getElementById(id).select();
  }

  /** Moves the keyboard cursor over the entities, by name order; returns the entity it lands on. */
  moveKeyboardCursor(step: number): GraphNode | null {
    const nodes = this.entityNodes().sort((a, b) => a.name.localeCompare(b.name));
    if (nodes.length === 0) return null;
    this.keyboardIndex = (((this.keyboardIndex + step) % nodes.length) + nodes.length) % nodes.length;
    const node = nodes[this.keyboardIndex]!;
    this.cy.nodes().removeClass('keyboard');
    const element = this.cy.getElementById(node.id);
    element.addClass('keyboard');
    if (!element.visible() || !this.cy.extent() || !inside(element.renderedPosition(), this.cy.width(), this.cy.height()))
      this.cy.center(element);
    return node;
  }

  keyboardNode(): GraphNode | null {
    const element = this.cy.nodes('.keyboard').first();
    return element.empty() ? null : (element.data() as GraphNode);
  }

  /** Where an entity, or a fact's midpoint, is drawn, in CSS pixels from the canvas's corner. */
  renderedPoint(id: string): cytoscape.Position | null {
    const found = this.cy.getElementById(id);
    if (found.empty()) return null;
    return found.isEdge() ? (found as cytoscape.EdgeSingular).renderedMidpoint() : (found as cytoscape.NodeSingular).renderedPosition();
  }

  has(id: string): boolean {
    return this.cy.getElementById(id).nonempty();
  }

  entityNodes(): GraphNode[] {
    return this.cy
      .nodes()
      .not('.more')
      .map((n) => n.data() as GraphNode);
  }

  edges(): GraphEdge[] {
    return this.cy
      .edges()
      .not('.more')
      .map((e) => e.data() as GraphEdge);
  }

  /** The entity at the centre of the view. */
  focus(): string | null {
    return this.focusId;
  }

  clear(): void {
    this.cy.elements().remove();
    this.focusId = null;
    this.handlers.changed();
  }

  private centre(): { x: number; y: number } {
    const box = this.cy.nodes().boundingBox({});
    return box.w > 0 ? { x: box.x1 + box.w / 2, y: box.y1 + box.h / 2 } : { x: 0, y: 0 };
  }

  /** Places new nodes on arcs facing away from the graph's centre, around the node each one hangs off. */
  private place(nodes: cytoscape.NodeCollection, around: string | undefined): void {
    const pending = new Set(nodes.map((n) => n.id()));
    const centre = this.centre();
    while (pending.size > 0) {
      const groups = new Map<string, cytoscape.NodeSingular[]>();
      for (const id of pending) {
        const node = this.cy.getElementById(id);
        const anchor =
          around !== undefined && node.edgesWith(this.cy.getElementById(around)).nonempty()
            ? around
            : node
                .neighborhood('node')
                .filter((n) => !pending.has(n.id()))
                .first()
                .id();
        if (anchor === undefined) continue;
        groups.set(anchor, [...(groups.get(anchor) ?? []), node]);
      }
      if (groups.size === 0) {
        // Nothing links them to what is drawn: put them together beside the graph.
        let i = 0;
        for (const id of pending) this.cy.getElementById(id).position({ x: centre.x + 80 * i++, y: centre.y - 200 });
        return;
      }
      for (const [anchorId, group] of groups) {
        const anchor = this.cy.getElementById(anchorId).position();
        const outward = Math.atan2(anchor.y - centre.y, anchor.x - centre.x) || -Math.PI / 2;
        const arc = Math.min(2 * Math.PI, Math.max(Math.PI / 2, group.length * 0.45));
        const radius = 110 + 6 * group.length;
        group.forEach((node, i) => {
          const angle = outward - arc / 2 + (arc * (i + 0.5)) / group.length;
          node.position({ x: anchor.x + Math.cos(angle) * radius, y: anchor.y + Math.sin(angle) * radius });
          pending.delete(node.id());
        });
      }
    }
  }
}

function inside(position: cytoscape.Position, width: number, height: number): boolean {
  return position.x >= 0 && position.y >= 0 && position.x <= width && position.y <= height;
}

function nodeElement(node: GraphNode): cytoscape.ElementDefinition {
  return { group: 'nodes', data: { ...node } };
}

function edgeElement(edge: GraphEdge): cytoscape.ElementDefinition {
  return {
    group: 'edges',
    data: { ...edge, label: relationLabel(edge.type) },
    classes: edge.rank === 'DEPRECATED' ? 'deprecated' : '',
  };
}
