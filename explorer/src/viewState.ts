/**
 * What a view is, as the URL holds it so that it can be shared: the focused entity, the entities expanded
 * around it, the as-of date, the path's two ends, the selection, and the display options.
 */

export interface ViewState {
  focus: string | null;
  expanded: string[];
  /** A partial ISO date (`2022-01`), or null for every fact whatever its date. */
  asOf: string | null;
  from: string | null;
  to: string | null;
  /** `entity:<id>` or `fact:<id>`: what the side panel shows. */
  selected: string | null;
  includeDeprecated: boolean;
  /** The most entities drawn per neighbourhood (the focus and each expansion). */
  limit: number;
}

export const LIMITS = [10, 25, 50, 100, 200, 500] as const;
export const DEFAULT_LIMIT = 100;
const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

export function readState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const text = (name: string) => {
    const value = params.get(name)?.trim();
    return value ? value : null;
  };
  const asOf = text('asOf');
  const limit = Number(params.get('limit'));
  return {
    focus: text('focus'),
    expanded: (params.get('expand') ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
    asOf: asOf !== null && DATE.test(asOf) ? asOf : null,
    from: text('from'),
    to: text('to'),
    selected: text('select'),
    includeDeprecated: params.get('deprecated') === '1',
    limit: (LIMITS as readonly number[]).includes(limit) ? limit : DEFAULT_LIMIT,
  };
}

export function writeState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.focus) params.set('focus', state.focus);
  if (state.expanded.length > 0) params.set('expand', state.expanded.join(','));
  if (state.asOf) params.set('asOf', state.asOf);
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  if (state.selected) params.set('select', state.selected);
  if (state.includeDeprecated) params.set('deprecated', '1');
  if (state.limit !== DEFAULT_LIMIT) params.set('limit', String(state.limit));
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}
