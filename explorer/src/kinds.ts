/** How each kind of entity looks, on the canvas and in the legend: one table, so the two always agree. */
import type { EntityKind } from './generated/graphql';

export type KindShape =
  'ellipse' | 'round-rectangle' | 'hexagon' | 'octagon' | 'pentagon' | 'diamond' | 'rhomboid' | 'tag' | 'triangle' | 'star';

export interface KindStyle {
  label: string;
  colour: string;
  shape: KindShape;
}

// Okabe-Ito colours first (told apart with colour-blindness too); the shape tells every kind apart anyway.
export const KIND_STYLES: Record<EntityKind, KindStyle> = {
  PERSON: { label: 'Person', colour: '#E69F00', shape: 'ellipse' },
  COUNTRY: { label: 'Country', colour: '#0072B2', shape: 'round-rectangle' },
  ORGANIZATION: { label: 'Organisation', colour: '#009E73', shape: 'hexagon' },
  GROUP: { label: 'Group', colour: '#56B4E9', shape: 'octagon' },
  REGION: { label: 'Region', colour: '#8C6D31', shape: 'pentagon' },
  CITY: { label: 'City', colour: '#CC79A7', shape: 'diamond' },
  FACILITY: { label: 'Facility', colour: '#7F7F7F', shape: 'rhomboid' },
  PROPOSAL: { label: 'Proposal', colour: '#F0E442', shape: 'tag' },
  POLICY: { label: 'Policy', colour: '#B07AA1', shape: 'triangle' },
  EVENT: { label: 'Event', colour: '#D55E00', shape: 'star' },
};

export const KINDS = Object.keys(KIND_STYLES) as EntityKind[];

/** SVG markup of a kind's shape in a 20×20 box, close to what cytoscape draws. */
function shapeSvg({ shape, colour }: KindStyle): string {
  const fill = `fill="${colour}" stroke="#333" stroke-width="1"`;
  const polygon = (points: string) => `<polygon points="${points}" ${fill}/>`;
  switch (shape) {
    case 'ellipse':
      return `<circle cx="10" cy="10" r="8" ${fill}/>`;
    case 'round-rectangle':
      return `<rect x="2" y="4" width="16" height="12" rx="3" ${fill}/>`;
    case 'hexagon':
      return polygon('5,2 15,2 19,10 15,18 5,18 1,10');
    case 'octagon':
      return polygon('6,1 14,1 19,6 19,14 14,19 6,19 1,14 1,6');
    case 'pentagon':
      return polygon('10,1 19,8 15.5,19 4.5,19 1,8');
    case 'diamond':
      return polygon('10,1 19,10 10,19 1,10');
    case 'rhomboid':
      return polygon('6,3 19,3 14,17 1,17');
    case 'tag':
      return polygon('1,3 13,3 19,10 13,17 1,17');
    case 'triangle':
      return polygon('10,2 19,18 1,18');
    case 'star':
      return polygon('10,1 12.4,7.3 19,7.3 13.7,11.4 15.6,18 10,14 4.4,18 6.3,11.4 1,7.3 7.6,7.3');
  }
}

export function kindIcon(kind: EntityKind): string {
  return `<svg class="kind-icon" width="16" height="16" viewBox="0 0 20 20" aria-hidden="true">${shapeSvg(KIND_STYLES[kind])}</svg>`;
}

export function kindLabel(kind: EntityKind): string {
  return KIND_STYLES[kind].label;
}

/** Fills the legend list: one item per kind, its icon and its name. */
export function renderLegend(list: HTMLElement): void {
  list.innerHTML = KINDS.map((kind) => `<li>${kindIcon(kind)}<span>${kindLabel(kind)}</span></li>`).join('');
}
