/** Ids, names, dates and words: how synthetic records are named and dated. */
import type { EntityKind } from '../../generated/graphql';
import { mixSeed, Rng } from './random';

/** Every synthetic id starts with this, so that the synthetic graph can be told apart and removed. */
export const SYNTHETIC_ID_PREFIX = 'syn-';

export const pad = (n: number, width: number) => String(n).padStart(width, '0');
export const entityId = (kind: EntityKind, index: number) => `${SYNTHETIC_ID_PREFIX}${kind.toLowerCase()}-${pad(index, 6)}`;
export const relationId = (index: number) => `${SYNTHETIC_ID_PREFIX}rel-${pad(index, 7)}`;
export const documentId = (index: number) => `${SYNTHETIC_ID_PREFIX}doc-${pad(index, 5)}`;

const SYLLABLES = [
  'ka',
  'ri',
  'mo',
  'ta',
  'len',
  'vor',
  'sa',
  'dil',
  'bra',
  'no',
  'vek',
  'ul',
  'mar',
  'zen',
  'ti',
  'o',
  'bel',
  'cas',
  'dor',
  'fen',
  'gal',
  'han',
  'ir',
  'jas',
  'kel',
  'lum',
  'mir',
  'nav',
  'os',
  'pel',
  'quin',
  'ros',
  'sul',
  'tam',
  'ur',
  'vas',
  'wen',
  'yar',
  'zol',
  'an',
  'est',
  'ko',
  'lia',
  'mun',
  'nor',
  'pra',
  'sil',
  'tor',
  'vin',
  'dra',
  'ke',
  'lo',
  'ma',
  'ne',
  'pi',
  'ru',
  'se',
  'to',
  'va',
  'zu',
];

function word(rng: Rng, minSyllables: number, maxSyllables: number): string {
  const n = minSyllables + rng.below(maxSyllables - minSyllables + 1);
  let w = '';
  for (let i = 0; i < n; i += 1) w += rng.pick(SYLLABLES);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

const EVENT_TYPES = [
  'summit',
  'talks',
  'strike',
  'offensive',
  'election',
  'protest',
  'ceasefire',
  'visit',
  'conference',
  'invasion',
  'blockade',
  'referendum',
];
const SUFFIXES: Partial<Record<EntityKind, readonly string[]>> = {
  REGION: ['Oblast', 'Province', 'Valley', 'Highlands', 'Coast', 'Basin', 'Plateau'],
  FACILITY: ['Power Plant', 'Airbase', 'Port', 'Oil Depot', 'Dam', 'Naval Base', 'Refinery', 'Grid'],
  ORGANIZATION: ['Alliance', 'Council', 'Union', 'Commission', 'Bank', 'Agency', 'Forum', 'Institute', 'Pact'],
  GROUP: ['Front', 'Brigade', 'Movement', 'Coalition', 'Militia', 'Bloc', 'Allies'],
  PROPOSAL: ['Peace Plan', 'Accord', 'Ceasefire Proposal', 'Framework', 'Security Guarantees', 'Roadmap', 'Initiative'],
  POLICY: ['Doctrine', 'Act', 'Sanctions Policy', 'Tariff Policy', 'Energy Policy', 'Directive', 'Mobilisation Order'],
};
const titleCase = (text: string) => text.replace(/\b\w/g, (c) => c.toUpperCase());

/** Kinds whose names read with "the" in a sentence ("the Korvadil Summit"). */
export const WITH_ARTICLE = new Set<EntityKind>(['EVENT', 'ORGANIZATION', 'GROUP', 'FACILITY', 'PROPOSAL', 'POLICY']);

export function nameOf(seed: number, kind: EntityKind, g: number): string {
  const rng = new Rng(mixSeed(seed, 2, g));
  switch (kind) {
    case 'PERSON':
      return `${word(rng, 2, 2)} ${word(rng, 2, 3)}`;
    case 'COUNTRY':
      return `${word(rng, 2, 2)}${rng.pick(['ia', 'stan', 'land', 'ora', 'istan', 'avia', 'enia'])}`;
    case 'CITY':
      return `${word(rng, 2, 3)}${rng.pick(['', '', 'grad', 'ville', 'sk', 'pol'])}`;
    case 'EVENT':
      return `${word(rng, 2, 3)} ${titleCase(eventTypeOf(seed, g))}`;
    default:
      return `${word(rng, 2, 3)} ${rng.pick(SUFFIXES[kind] ?? ['Place'])}`;
  }
}

export function eventTypeOf(seed: number, g: number): string {
  return EVENT_TYPES[mixSeed(seed, 3, g) % EVENT_TYPES.length]!;
}

/** YYYY, YYYY-MM or YYYY-MM-DD between 1990 and 2025; days stop at 28, so every date is real. */
export function partialDate(rng: Rng): string {
  const year = 1990 + rng.below(36);
  const p = rng.next();
  if (p < 0.4) return String(year);
  const month = pad(1 + rng.below(12), 2);
  if (p < 0.7) return `${year}-${month}`;
  return `${year}-${month}-${pad(1 + rng.below(28), 2)}`;
}

/** A date in a later year than `date`, at its own precision. */
export function laterDate(rng: Rng, date: string): string {
  const year = Number(date.slice(0, 4)) + 1 + rng.below(6);
  const later = partialDate(rng);
  return `${year}${later.slice(4)}`;
}

export const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const pct = (share: number) => `${Math.round(share * 100)}%`;
