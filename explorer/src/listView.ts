/**
 * The same entities and facts as the canvas, as two tables: the accessible alternative to the graph. Every
 * row has buttons, so the keyboard reaches all that the mouse does on the canvas.
 */
import { onActions } from './actions';
import type { GraphEdge, GraphNode } from './graph';
import { kindIcon, kindLabel } from './kinds';
import { escapeHtml, relationLabel } from './text';

export interface ListActions {
  selectNode(id: string): void;
  expand(id: string): void;
  openFact(id: string): void;
}

export class ListView {
  constructor(
    private readonly container: HTMLElement,
    actions: ListActions,
  ) {
    onActions(container, { entity: actions.selectNode, expand: actions.expand, fact: actions.openFact });
  }

  render(nodes: readonly GraphNode[], edges: readonly GraphEdge[], pathEdges: ReadonlySet<string>): void {
    const names = new Map(nodes.map((n) => [n.id, n.name]));
    const sortedNodes = [...nodes].sort((a, b) => a.name.localeCompare(b.name));
    const nodeRows = sortedNodes.map((node) => {
      const id = escapeHtml(node.id);
      return (
        `<tr data-id="${id}"><td><button type="button" data-action="entity" data-id="${id}">${escapeHtml(node.name)}</button></td>` +
        `<td>${kindIcon(node.kind)} ${kindLabel(node.kind)}</td>` +
        `<td><button type="button" data-action="expand" data-id="${id}" aria-label="Expand ${escapeHtml(node.name)}">Expand</button></td></tr>`
      );
    });
    const edgeRows = edges.map((edge) => {
      const id = escapeHtml(edge.id);
      const from = escapeHtml(names.get(edge.source) ?? edge.source);
      const to = escapeHtml(names.get(edge.target) ?? edge.target);
      const marks = [edge.rank === 'DEPRECATED' ? 'deprecated' : '', pathEdges.has(edge.id) ? 'on the path' : ''].filter((m) => m !== '');
      return (
        `<tr data-id="${id}"${pathEdges.has(edge.id) ? ' class="on-path"' : ''}><td>${from}</td><td>${escapeHtml(relationLabel(edge.type))}</td><td>${to}</td>` +
        `<td>${marks.join(', ')}</td>` +
        `<td><button type="button" data-action="fact" data-id="${id}" aria-label="Evidence: ${from} ${escapeHtml(relationLabel(edge.type))} ${to}">Evidence</button></td></tr>`
      );
    });
    this.container.innerHTML =
      `<h3 id="list-entities">Entities (${nodes.length})</h3>` +
      `<table aria-labelledby="list-entities"><thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Actions</th></tr></thead>` +
      `<tbody>${nodeRows.join('')}</tbody></table>` +
      `<h3 id="list-facts">Facts (${edges.length})</h3>` +
      `<table aria-labelledby="list-facts"><thead><tr><th scope="col">From</th><th scope="col">Relation</th><th scope="col">To</th><th scope="col">Notes</th><th scope="col">Evidence</th></tr></thead>` +
      `<tbody>${edgeRows.join('')}</tbody></table>`;
  }
}
