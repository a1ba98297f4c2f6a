/**
 * The side panel: what the graph knows about the selected fact or entity, and the evidence for it, each
 * quote shown highlighted inside its document's text.
 */
import { onActions } from './actions';
import { request } from './api';
import {
  EntityDetailsDocument,
  RelationDetailsDocument,
  type EntityDetailsQuery,
  type EvidenceInContextFragment,
  type RelationDetailsQuery,
} from './generated/graphql';
import { kindIcon, kindLabel } from './kinds';
import { escapeHtml, formatDate, relationLabel } from './text';

export interface PanelActions {
  openFact(id: string): void;
  focusEntity(id: string): void;
  expandEntity(id: string): void;
}

type RelationDetails = NonNullable<RelationDetailsQuery['relation']>;
type EntityDetails = NonNullable<EntityDetailsQuery['entity']>;

export class DetailsPanel {
  /** Answers that arrive after a newer selection are dropped. */
  private shown = 0;

  constructor(
    private readonly heading: HTMLElement,
    private readonly body: HTMLElement,
    actions: PanelActions,
  ) {
    onActions(body, { fact: actions.openFact, focus: actions.focusEntity, expand: actions.expandEntity });
  }

  clear(): void {
    this.shown += 1;
    this.heading.textContent = 'Details';
    this.body.innerHTML = '<p class="hint">Select an entity or a fact (click it, or use the list view) to see its evidence.</p>';
  }

  /** Shows a fact; `moveFocus` puts keyboard focus on the panel (when the user asked with the keyboard). */
  async showRelation(id: string, moveFocus: boolean): Promise<void> {
    const ticket = this.start();
    const { relation } = await request(RelationDetailsDocument, { id });
    if (ticket !== this.shown) return;
    if (!relation) {
      this.notFound(`No fact has the id ${id}.`);
      return;
    }
    this.heading.textContent = `${relation.source.name} — ${relationLabel(relation.type)} → ${relation.target.name}`;
    this.body.innerHTML = `<dl class="facts">${relationRows(relation)}</dl>${evidenceSection(relation.evidence, 'Evidence')}`;
    this.finish(moveFocus);
  }

  async showEntity(id: string, filters: { asOf: string | null; includeDeprecated: boolean }, moveFocus: boolean): Promise<void> {
    const ticket = this.start();
    const { entity } = await request(EntityDetailsDocument, { id, ...filters });
    if (ticket !== this.shown) return;
    if (!entity) {
      this.notFound(`No entity has the id ${id}.`);
      return;
    }
    this.heading.textContent = entity.name;
    this.body.innerHTML = entityHtml(entity);
    this.finish(moveFocus);
  }

  private start(): number {
    this.shown += 1;
    this.body.setAttribute('aria-busy', 'true');
    return this.shown;
  }

  private notFound(message: string): void {
    this.heading.textContent = 'Not found';
    this.body.innerHTML = `<p>${escapeHtml(message)}</p>`;
    this.body.setAttribute('aria-busy', 'false');
  }

  private finish(moveFocus: boolean): void {
    // Each document box scrolls to its highlighted quote, so the quote is seen in its context at once.
    for (const box of this.body.querySelectorAll<HTMLElement>('.doc-text')) {
      const mark = box.querySelector('mark');
      // The box is the mark's offset parent (position: relative), so offsetTop is measured inside it.
      if (mark) box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 3);
    }
    this.body.setAttribute('aria-busy', 'false');
    if (moveFocus) this.heading.focus();
  }
}

function row(term: string, value: string | null): string {
  return value === null ? '' : `<dt>${term}</dt><dd>${value}</dd>`;
}

function validTime({ pointInTime, validFrom, validTo }: Pick<RelationDetails, 'pointInTime' | 'validFrom' | 'validTo'>): string {
  if (pointInTime) return `at ${formatDate(pointInTime)}`;
  if (validFrom && validTo) return `from ${formatDate(validFrom)} to ${formatDate(validTo)}`;
  if (validFrom) return `from ${formatDate(validFrom)} on`;
  if (validTo) return `until ${formatDate(validTo)}`;
  return 'undated (counts as current)';
}

/** The fact's qualifiers, how many documents support it, and what replaced it when it was superseded. */
function relationRows(relation: RelationDetails): string {
  const share = relation.share === null ? null : `${relation.approximate ? 'about ' : ''}${Math.round(relation.share * 100)}%`;
  const claimed = relation.claimedBy ? ` by ${escapeHtml(relation.claimedBy.name)}` : '';
  const { supersededBy: newer } = relation;
  const replacement = newer
    ? `<button type="button" data-action="fact" data-id="${escapeHtml(newer.id)}">` +
      `${escapeHtml(newer.source.name)} — ${escapeHtml(relationLabel(newer.type))} → ${escapeHtml(newer.target.name)}</button>`
    : null;
  return [
    row('Type', `<code>${relation.type}</code> (${escapeHtml(relationLabel(relation.type))})`),
    row('From', escapeHtml(relation.source.name)),
    row('To', escapeHtml(relation.target.name)),
    row('Role', relation.role === null ? null : escapeHtml(relation.role)),
    row('Share', share),
    row('Rank', `<span class="rank rank-${relation.rank.toLowerCase()}">${relation.rank}</span>`),
    row('Modality', `${relation.modality}${claimed}`),
    row('Valid time', escapeHtml(validTime(relation))),
    row('Date precision', relation.precision),
    row('Supported by', `${relation.supportCount} ${relation.supportCount === 1 ? 'document' : 'documents'}`),
    row('Deprecated because', relation.deprecationReason === null ? null : escapeHtml(relation.deprecationReason)),
    row('Superseded by', replacement),
  ].join('');
}

function evidenceHtml(evidence: EvidenceInContextFragment): string {
  const { document } = evidence;
  const at = document.text.indexOf(evidence.quote);
  const meta = [
    document.publisher ? escapeHtml(document.publisher) : 'publisher unknown',
    document.publishedAt ? formatDate(document.publishedAt) : null,
    `confidence ${Math.round(evidence.confidence * 100)}%`,
  ].filter((part) => part !== null);
  const title = document.url
    ? `<a href="${escapeHtml(document.url)}" rel="noopener noreferrer">${escapeHtml(document.title)}</a>`
    : escapeHtml(document.title);
  const text =
    at < 0
      ? `<blockquote>${escapeHtml(evidence.quote)}</blockquote><p class="note">This quote is not found in the document's text.</p>`
      : `<div class="doc-text" tabindex="0" role="region" aria-label="Text of ${escapeHtml(document.title)}, quote highlighted">` +
        `${escapeHtml(document.text.slice(0, at))}<mark>${escapeHtml(evidence.quote)}</mark>${escapeHtml(document.text.slice(at + evidence.quote.length))}</div>`;
  return `<li class="evidence"><p class="doc-title">${title}</p><p class="doc-meta">${meta.join(' · ')}</p>${text}</li>`;
}

function evidenceSection(evidence: readonly EvidenceInContextFragment[], heading: string): string {
  if (evidence.length === 0) return '';
  return `<h3>${heading} (${evidence.length})</h3><ol class="evidence-list">${evidence.map(evidenceHtml).join('')}</ol>`;
}

function entityHtml(entity: EntityDetails): string {
  const id = escapeHtml(entity.id);
  const facts = entity.relations.edges.map(({ node }) => {
    const deprecated = node.rank === 'DEPRECATED' ? ' <span class="rank rank-deprecated">deprecated</span>' : '';
    const role = node.role ? ` (${escapeHtml(node.role)})` : '';
    return (
      `<li><button type="button" data-action="fact" data-id="${escapeHtml(node.id)}">` +
      `${escapeHtml(node.source.name)} — ${escapeHtml(relationLabel(node.type))}${role} → ${escapeHtml(node.target.name)}</button>${deprecated}</li>`
    );
  });
  const more =
    entity.relations.totalCount > facts.length
      ? `<p class="note">The first ${facts.length} of ${entity.relations.totalCount} facts.</p>`
      : '';
  const attributes = entity.attributes.map(
    (a) => `<li><strong>${escapeHtml(a.name)}</strong>: ${escapeHtml(a.value)} <span class="note">(${a.modality})</span></li>`,
  );
  return [
    `<p class="entity-kind">${kindIcon(entity.kind)} ${kindLabel(entity.kind)} · <code>${id}</code></p>`,
    entity.description ? `<p>${escapeHtml(entity.description)}</p>` : '',
    entity.aliases.length > 0 ? `<p class="note">Also called: ${entity.aliases.map(escapeHtml).join(', ')}</p>` : '',
    `<p class="actions"><button type="button" data-action="focus" data-id="${id}">Centre the graph here</button> ` +
      `<button type="button" data-action="expand" data-id="${id}">Expand its neighbours</button></p>`,
    `<h3>Facts (${entity.relations.totalCount})</h3>`,
    facts.length > 0 ? `<ul class="fact-list">${facts.join('')}</ul>${more}` : '<p class="note">No facts for the chosen date.</p>',
    attributes.length > 0 ? `<h3>Attributes</h3><ul>${attributes.join('')}</ul>` : '',
    evidenceSection(entity.evidence, 'Where the sources mention it'),
    ...entity.attributes.map((a) => evidenceSection(a.evidence, `Evidence for ${escapeHtml(a.name)}`)),
  ].join('');
}
