/**
 * Everything that can be said about an ingestion's input before looking at the graph. Every problem is
 * collected with the path of its field (`input.relations[2].evidence[0].quote`), so that one
 * BAD_USER_INPUT error lists them all and the client fixes them in one pass. The rules a fact and its
 * evidence obey are the seed's too (src/models/factRules.ts).
 */
import type { EntityRefInput, EvidenceInput, IngestDocumentInput } from '../generated/graphql';
import type { InputProblem } from '../errors';
import { WRITE_INPUT, type IngestLimits } from '../limits';
import { evidenceProblems, factProblems } from '../models/factRules';
import { nameKey } from '../models/names';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SLUG_LENGTH = 120;
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;

class Problems {
  readonly list: InputProblem[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  text(path: string, value: string | null | undefined, max: number, required: boolean): void {
    if (value === null || value === undefined) {
      if (required) this.add(path, 'is required');
      return;
    }
    if (value.trim() === '') this.add(path, 'must not be blank');
    else if (value.length > max) this.add(path, `must be at most ${max.toLocaleString('en')} characters`);
  }

  slug(path: string, value: string | null | undefined): void {
    if (value === null || value === undefined) return;
    if (!SLUG.test(value) || value.length > SLUG_LENGTH) {
      this.add(path, `must be a lower-case slug such as "emmanuel-macron", at most ${SLUG_LENGTH} characters`);
    }
  }

  evidence(path: string, evidence: readonly EvidenceInput[] | null | undefined, text: string, required: boolean): void {
    if (!evidence || evidence.length === 0) {
      if (required) this.add(path, 'needs at least one quote');
      return;
    }
    if (evidence.length > WRITE_INPUT.evidencePerItem) this.add(path, `may hold at most ${WRITE_INPUT.evidencePerItem} quotes`);
    evidence.forEach((e, i) => evidenceProblems(e, text).forEach((p) => this.add(`${path}[${i}].${p.field}`, p.message)));
  }
}

/** An end of a relation as written in the input: what it can be compared by before resolution. */
function refIdentity(ref: EntityRefInput): string | null {
  if (ref.id) return `id:${ref.id}`;
  if (ref.ref) return `ref:${ref.ref}`;
  return null;
}

/** Every problem of an ingestion's input that needs no database; empty when the input is fine. */
export function inputProblems(input: IngestDocumentInput, limits: IngestLimits): InputProblem[] {
  const problems = new Problems();
  const { document } = input;
  const text = document.text;

  problems.slug('input.document.id', document.id);
  problems.text('input.document.title', document.title, WRITE_INPUT.titleLength, true);
  if (text.length === 0) problems.add('input.document.text', 'must not be empty');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxTextBytes) {
    problems.add(
      'input.document.text',
      `is ${bytes.toLocaleString('en')} bytes; the most is ${limits.maxTextBytes.toLocaleString('en')} (INGEST_MAX_TEXT_BYTES)`,
    );
  }
  if (document.url !== null && document.url !== undefined && !isHttpUrl(document.url))
    problems.add('input.document.url', 'must be an http or https URL');
  if (document.language && !LANGUAGE_TAG.test(document.language))
    problems.add('input.document.language', 'must be a BCP 47 tag such as "en" or "pt-BR"');
  problems.text('input.document.publisher', document.publisher, WRITE_INPUT.nameLength, false);

  const entities = input.entities ?? [];
  if (entities.length > WRITE_INPUT.entitiesPerDocument)
    problems.add('input.entities', `may hold at most ${WRITE_INPUT.entitiesPerDocument} entities`);
  const refs = new Map<string, number>();
  const ids = new Map<string, number>();
  const names = new Map<string, number>();
  entities.forEach((entity, i) => {
    const at = `input.entities[${i}]`;
    if (entity.ref.trim() === '') problems.add(`${at}.ref`, 'must not be blank');
    else if (refs.has(entity.ref))
      problems.add(`${at}.ref`, `"${entity.ref}" is already the ref of input.entities[${refs.get(entity.ref)}]`);
    else refs.set(entity.ref, i);
    problems.slug(`${at}.id`, entity.id);
    if (entity.id) {
      if (ids.has(entity.id)) problems.add(`${at}.id`, `"${entity.id}" is already the id of input.entities[${ids.get(entity.id)}]`);
      ids.set(entity.id, i);
    }
    problems.text(`${at}.name`, entity.name, WRITE_INPUT.nameLength, true);
    const key = nameKey(entity.name);
    if (entity.name.trim() !== '' && key === '') problems.add(`${at}.name`, 'must contain a letter or a digit');
    if (key !== '' && !entity.id) {
      const same = `${entity.kind} ${key}`;
      if (names.has(same))
        problems.add(`${at}.name`, `names the same ${entity.kind} as input.entities[${names.get(same)}]: declare it once`);
      else names.set(same, i);
    }
    if ((entity.aliases?.length ?? 0) > WRITE_INPUT.aliasesPerEntity)
      problems.add(`${at}.aliases`, `may hold at most ${WRITE_INPUT.aliasesPerEntity} names`);
    entity.aliases?.forEach((alias, j) => problems.text(`${at}.aliases[${j}]`, alias, WRITE_INPUT.nameLength, true));
    problems.text(`${at}.description`, entity.description, WRITE_INPUT.descriptionLength, false);
    problems.evidence(`${at}.evidence`, entity.evidence, text, false);
  });

  const checkRef = (path: string, ref: EntityRefInput) => {
    const given = [ref.id, ref.ref, ref.name].filter((v) => v !== null && v !== undefined);
    if (given.length !== 1) {
      problems.add(path, 'give exactly one of id, ref or name');
      return;
    }
    if (ref.kind && !ref.name) problems.add(`${path}.kind`, 'is only for a ref given by name');
    if (ref.ref !== null && ref.ref !== undefined && !refs.has(ref.ref))
      problems.add(`${path}.ref`, `"${ref.ref}" is not the ref of any of input.entities`);
    if (ref.id !== null && ref.id !== undefined) problems.slug(`${path}.id`, ref.id);
    if (ref.name !== null && ref.name !== undefined) {
      problems.text(`${path}.name`, ref.name, WRITE_INPUT.nameLength, true);
      if (ref.name.trim() !== '' && nameKey(ref.name) === '') problems.add(`${path}.name`, 'must contain a letter or a digit');
    }
  };

  if (input.relations.length > limits.maxRelations) {
    problems.add('input.relations', `holds ${input.relations.length} relations; the most is ${limits.maxRelations} (INGEST_MAX_RELATIONS)`);
  }
  input.relations.forEach((relation, i) => {
    const at = `input.relations[${i}]`;
    checkRef(`${at}.source`, relation.source);
    checkRef(`${at}.target`, relation.target);
    if (relation.claimedBy) checkRef(`${at}.claimedBy`, relation.claimedBy);
    problems.text(`${at}.role`, relation.role, WRITE_INPUT.roleLength, false);
    factProblems({
      type: relation.type,
      sourceId: refIdentity(relation.source),
      targetId: refIdentity(relation.target),
      share: relation.share,
      pointInTime: relation.pointInTime,
      validFrom: relation.validFrom,
      validTo: relation.validTo,
      modality: relation.modality,
      claimed: relation.claimedBy !== null && relation.claimedBy !== undefined,
    }).forEach((p) => problems.add(`${at}.${p.field}`, p.message));
    problems.evidence(`${at}.evidence`, relation.evidence, text, true);
  });
  return problems.list;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** A reason given to a correction: required or not, within its bound. */
export function reasonProblems(path: string, reason: string | null | undefined, required: boolean): InputProblem[] {
  const problems = new Problems();
  problems.text(path, reason, WRITE_INPUT.reasonLength, required);
  return problems.list;
}
