/** The focused entity's events (`timeline`) in date order, undated last; activating one focuses it. */
import { onActions } from './actions';
import { request } from './api';
import { TimelineDocument } from './generated/graphql';
import { kindIcon } from './kinds';
import { escapeHtml, formatDate } from './text';

const EVENTS = 50;

export class TimelineStrip {
  private asked = 0;

  constructor(
    private readonly list: HTMLElement,
    private readonly caption: HTMLElement,
    onPick: (id: string) => void,
  ) {
    onActions(list, { focus: onPick });
  }

  async show(entity: { id: string; name: string } | null): Promise<void> {
    const asked = ++this.asked;
    if (entity === null) {
      this.caption.textContent = 'Timeline';
      this.list.innerHTML = '';
      return;
    }
    const { timeline } = await request(TimelineDocument, { entityId: entity.id, first: EVENTS });
    if (asked !== this.asked) return;
    const shown = timeline.edges.length < timeline.totalCount ? ` (the first ${timeline.edges.length} of ${timeline.totalCount})` : '';
    this.caption.textContent = `Events linked to ${entity.name}${shown}`;
    this.list.innerHTML =
      timeline.edges.length === 0
        ? `<li class="note">No events are linked to ${escapeHtml(entity.name)}.</li>`
        : timeline.edges
            .map(({ node }) => {
              const date = 'startDate' in node && node.startDate ? formatDate(node.startDate) : 'undated';
              return (
                `<li><button type="button" data-action="focus" data-id="${escapeHtml(node.id)}">` +
                `<span class="when">${escapeHtml(date)}</span><span class="what">${kindIcon(node.kind)} ${escapeHtml(node.name)}</span></button></li>`
              );
            })
            .join('');
  }
}
