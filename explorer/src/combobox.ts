/**
 * A search box with typeahead over `search`, following the ARIA combobox pattern: arrow keys move through
 * the hits (announced through aria-activedescendant), Enter picks, Escape closes.
 */
import { request } from './api';
import { SearchDocument, type EntityKind } from './generated/graphql';
import { kindIcon, kindLabel } from './kinds';
import { escapeHtml } from './text';

export interface EntityChoice {
  id: string;
  name: string;
  kind: EntityKind;
}

const DEBOUNCE_MS = 150;
const HITS = 8;

export class Combobox {
  private hits: EntityChoice[] = [];
  private active = -1;
  private timer: number | undefined;
  /** Answers that arrive after a newer question are dropped. */
  private asked = 0;
  private chosen: EntityChoice | null = null;

  constructor(
    private readonly input: HTMLInputElement,
    private readonly listbox: HTMLElement,
    private readonly status: HTMLElement,
    private readonly onPick: (choice: EntityChoice) => void,
    private readonly onError: (error: unknown) => void,
  ) {
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', listbox.id);
    input.autocomplete = 'off';
    listbox.setAttribute('role', 'listbox');
    listbox.hidden = true;
    input.addEventListener('input', () => this.scheduleSearch());
    input.addEventListener('keydown', (event) => this.onKey(event));
    input.addEventListener('blur', () => window.setTimeout(() => this.close(), 150));
    // mousedown, not click: picking must happen before the input's blur closes the list.
    listbox.addEventListener('mousedown', (event) => {
      const option = (event.target as HTMLElement).closest<HTMLElement>('[role="option"]');
      if (!option) return;
      event.preventDefault();
      this.pick(Number(option.dataset.index));
    });
  }

  /** The entity picked last, while the text still shows its name. */
  value(): EntityChoice | null {
    return this.chosen !== null && this.input.value === this.chosen.name ? this.chosen : null;
  }

  /** Shows an entity as picked without asking the service (restoring a deep link). */
  setValue(choice: EntityChoice | null): void {
    this.chosen = choice;
    this.input.value = choice?.name ?? '';
  }

  private scheduleSearch(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.search(), DEBOUNCE_MS);
  }

  private async search(): Promise<void> {
    const text = this.input.value.trim();
    const asked = ++this.asked;
    if (text === '') {
      this.show([]);
      return;
    }
    try {
      const data = await request(SearchDocument, { text, first: HITS });
      if (asked !== this.asked) return;
      this.show(data.search.map((hit) => ({ id: hit.entity.id, name: hit.entity.name, kind: hit.entity.kind })));
    } catch (error) {
      if (asked === this.asked) this.onError(error);
    }
  }

  private show(hits: EntityChoice[]): void {
    this.hits = hits;
    this.active = -1;
    this.listbox.innerHTML = hits
      .map(
        (hit, index) =>
          `<li role="option" id="${this.listbox.id}-${index}" data-index="${index}" aria-selected="false">` +
          `${kindIcon(hit.kind)}<span class="hit-name">${escapeHtml(hit.name)}</span> <span class="hit-kind">${kindLabel(hit.kind)}</span></li>`,
      )
      .join('');
    const open = hits.length > 0;
    this.listbox.hidden = !open;
    this.input.setAttribute('aria-expanded', String(open));
    this.input.removeAttribute('aria-activedescendant');
    this.status.textContent =
      this.input.value.trim() === '' ? '' : hits.length === 0 ? 'No matches.' : `${hits.length} matches; use the arrow keys.`;
  }

  private close(): void {
    this.listbox.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  private move(step: number): void {
    if (this.hits.length === 0) return;
    if (this.listbox.hidden) {
      this.listbox.hidden = false;
      this.input.setAttribute('aria-expanded', 'true');
    }
    this.active = (this.active + step + this.hits.length) % this.hits.length;
    this.listbox
      .querySelectorAll('[role="option"]')
      .forEach((option, index) => option.setAttribute('aria-selected', String(index === this.active)));
    const id = `${this.listbox.id}-${this.active}`;
    this.input.setAttribute('aria-activedescendant', id);
    document.getElementById(id)?.scrollIntoView({ block: 'nearest' });
  }

  private pick(index: number): void {
    const hit = this.hits[index];
    if (!hit) return;
    this.setValue(hit);
    this.close();
    this.status.textContent = `${hit.name} chosen.`;
    this.onPick(hit);
  }

  private onKey(event: KeyboardEvent): void {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        this.move(1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        this.move(-1);
        break;
      case 'Enter':
        if (!this.listbox.hidden && this.active >= 0) {
          event.preventDefault();
          this.pick(this.active);
        }
        break;
      case 'Escape':
        this.close();
        break;
    }
  }
}
