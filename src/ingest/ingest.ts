/**
 * `ingestDocument`: a document, the entities it names and the facts it supports, written in one
 * transaction: all of it lands, or none of it.
 *
 * 1. The input is checked whole before anything is read (src/ingest/validate.ts).
 * 2. In the transaction, the document is looked up by id and by text, and every entity is resolved
 *    (src/ingest/resolve.ts): by id, then by name and aliases, then by spelling. Anything ambiguous or
 *    unknown refuses the document with BAD_USER_INPUT; the service never guesses.
 * 3. The entities that will change, and both ends of every fact, are locked in id order, and only then
 *    is their state read: two ingestions touching the same facts take turns, so neither loses the
 *    other's evidence.
 * 4. A fact with the same type, ends, role, share and dates as a stored one corroborates it (its
 *    evidence is added); otherwise it is created under an id made from that key.
 * 5. Everything new goes through the one graph writer (src/data/writer.ts) and one `Change` is appended.
 *    A document that brings nothing new writes nothing at all.
 *
 * A conflict on a unique constraint (another ingestion created the same entity or document first) runs
 * the whole transaction again, which then finds what the other one wrote.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ManagedTransaction } from 'neo4j-driver';
import { Neo4jError } from 'neo4j-driver';
import type { IngestDocumentInput, RelationInput, RelationType } from '../generated/graphql';
import type { ChangeModel } from '../models/change';
import type { DocumentModel } from '../models/document';
import type { EntityModel } from '../models/entity';
import type { EvidenceModel } from '../models/evidence';
import type { EntityOutcomeModel, IngestResultModel, RelationOutcomeModel } from '../models/ingestion';
import type { RelationModel } from '../models/relation';
import type { Neo4jClient } from '../db/neo4jClient';
import { appendChange } from '../data/changes';
import { documentsByIdOrText, entitiesForWrite, factsByKey, idsTaken, lockEntities, type FactKey } from '../data/ingestion';
import { documentRow, entityRow, relationRow, textHashOf, writeDocuments, writeEntities, writeRelations } from '../data/writer';
import { invalidInput, type InputProblem } from '../errors';
import type { IngestLimits } from '../limits';
import { factProblems } from '../models/factRules';
import { nameKey, slugOf } from '../models/names';
import { resolveEntities, type ResolvedEntity } from './resolve';
import { inputProblems } from './validate';

/** How often a transaction that lost a race on a unique constraint runs again before giving up. */
const CONFLICT_ATTEMPTS = 6;

/** Where a test may make an ingestion fail halfway, to show that nothing of it stays behind. */
export type IngestionStage = 'after-entities';

export interface IngestionOptions {
  limits: IngestLimits;
  /** Called after each commit with the change it appended (the live feed). */
  onChange?: (change: ChangeModel) => void;
  /** Tests only: called at each stage inside the transaction; throwing there aborts it. */
  faultInjection?: (stage: IngestionStage) => void;
}

/** A write lost a race it can win by running again (an entity it resolved was merged meanwhile). */
export class RetryableConflict extends Error {
  override readonly name = 'RetryableConflict';
}

export function isRetryableConflict(error: unknown): boolean {
  return (
    error instanceof RetryableConflict ||
    (error instanceof Neo4jError && error.code === 'Neo.ClientError.Schema.ConstraintValidationFailed')
  );
}

/** Runs `work` again, a few times, with a little jitter, while it loses races on unique constraints. */
export async function withConflictRetries<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isRetryableConflict(error) || attempt >= CONFLICT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

/** Now, as the change log writes it: ISO 8601 in UTC with milliseconds, so that it sorts as it reads. */
export const nowIso = () => new Date().toISOString();

export const changeId = (at: string) => `chg-${at.replace(/[-:.TZ]/g, '')}-${randomBytes(4).toString('hex')}`;

/** The key that makes two facts the same fact, and the id a new fact gets from it. */
function factKeyOf(type: RelationType, key: FactKey): string {
  return JSON.stringify([type, key.source, key.target, key.role, key.share, key.pointInTime, key.validFrom, key.validTo]);
}
const factIdOf = (key: string) => `fact-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;

/** Evidence from `extra` that `existing` does not hold yet (same document and quote). */
function newEvidence(existing: readonly EvidenceModel[], extra: readonly EvidenceModel[]): EvidenceModel[] {
  const seen = new Set(existing.map((e) => `${e.documentId}\u0000${e.quote}`));
  return extra.filter((e) => {
    const key = `${e.documentId}\u0000${e.quote}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A unique id for each new thing: its slug, or the slug with the first free `-2`, `-3`... */
function uniqueIds(slugs: readonly string[], taken: Set<string>): string[] {
  return slugs.map((slug) => {
    let id = slug;
    for (let n = 2; taken.has(id); n += 1) id = `${slug}-${n}`;
    taken.add(id);
    return id;
  });
}

interface FactPlan {
  key: string;
  relation: RelationModel;
  outcome: RelationOutcomeModel['outcome'];
}

export class Ingestion {
  constructor(
    private readonly client: Neo4jClient,
    private readonly options: IngestionOptions,
  ) {}

  async ingest(input: IngestDocumentInput, options: { dryRun: boolean; actor: string }): Promise<IngestResultModel> {
    const problems = inputProblems(input, this.options.limits);
    if (problems.length > 0) throw invalidInput(problems);
    if (options.dryRun) {
      // A dry run appends no change: it reports what would be written, and writes nothing.
      const plan = await this.client.readTransaction((tx) => this.plan(tx, input, options.actor, false));
      return { ...plan.result, change: null };
    }
    const result = await withConflictRetries(() =>
      this.client.writeTransaction(async (tx) => {
        const plan = await this.plan(tx, input, options.actor, true);
        await plan.write();
        return plan.result;
      }),
    );
    if (result.change) this.options.onChange?.(result.change);
    return result;
  }

  /** Works out what the ingestion does, reading through `tx`; `write` then does it in the same transaction. */
  private async plan(tx: ManagedTransaction, input: IngestDocumentInput, actor: string, locking: boolean) {
    const problems: InputProblem[] = [];
    const at = nowIso();
    const text = input.document.text;
    const textHash = textHashOf(text);

    // The document: by id, or by its text when no id is given.
    const given = input.document.id ?? null;
    const { byId, byText } = await documentsByIdOrText(tx, given, textHash);
    let document: DocumentModel | null = null;
    if (given !== null && byId) {
      if (byId.text !== text) {
        problems.push({
          path: 'input.document.id',
          message: `document "${given}" is already in the graph with another text; give this one another id`,
        });
      }
      document = byId;
    } else if (given !== null && byText) {
      problems.push({ path: 'input.document.text', message: `this text is already in the graph as document "${byText.id}"` });
    } else if (given === null && byText) {
      document = byText;
    }
    const created = document === null;
    if (document === null) {
      const id =
        given ??
        uniqueIds(
          [slugOf(input.document.title).slice(0, 80)],
          await idsTaken(tx, 'document', [slugOf(input.document.title).slice(0, 80)]),
        )[0]!;
      document = {
        id,
        title: input.document.title.trim(),
        titleIsEditorial: false,
        publisher: input.document.publisher ?? null,
        url: input.document.url ?? null,
        publishedAt: input.document.publishedAt ?? null,
        language: input.document.language ?? null,
        attribution: `Ingested through the API by ${actor} on ${at.slice(0, 10)}.`,
        text,
      };
    }
    const documentId = document.id;
    const evidenceOf = (items: readonly { quote: string; confidence: number }[] | null | undefined): EvidenceModel[] =>
      (items ?? []).map((e) => ({ documentId, quote: e.quote, confidence: e.confidence }));

    // The entities: those the document declares, then every end of a relation.
    const resolution = await resolveEntities(tx, input);
    problems.push(...resolution.problems);
    const declared = input.entities ?? [];
    // New entities without an id get a slug of their name, unique against every id in use (given ones included).
    const unnamed = resolution.declared.filter((d) => d.entity === null && d.id === null);
    const taken = await idsTaken(
      tx,
      'entity',
      unnamed.map((d) => slugOf(d.input.name)),
    );
    for (const d of resolution.declared) if (d.entity === null && d.id !== null) taken.add(d.id);
    uniqueIds(
      unnamed.map((d) => slugOf(d.input.name)),
      taken,
    ).forEach((id, i) => (unnamed[i]!.id = id));
    const entityIdOf = (resolved: ResolvedEntity) => resolved.entity?.id ?? resolved.id!;

    const ends = input.relations.map((relation, i) => {
      const source = resolution.ends.get(`input.relations[${i}].source`);
      const target = resolution.ends.get(`input.relations[${i}].target`);
      const claimant = relation.claimedBy ? resolution.ends.get(`input.relations[${i}].claimedBy`) : undefined;
      if (source && target) {
        // Now that names are resolved: a fact from an entity to itself (the qualifiers were checked before).
        factProblems({
          type: '',
          sourceId: entityIdOf(source),
          targetId: entityIdOf(target),
          share: null,
          pointInTime: null,
          validFrom: null,
          validTo: null,
          modality: null,
          claimed: false,
        }).forEach((p) => problems.push({ path: `input.relations[${i}].${p.field}`, message: p.message }));
      }
      return { source, target, claimant };
    });
    if (problems.length > 0) throw invalidInput(problems);

    // Lock what will change, then read its state: an entity gaining aliases or evidence, both ends of every fact.
    const existingIds = (resolved: ResolvedEntity | undefined) => (resolved?.entity ? [resolved.entity.id] : []);
    const touchedEntities = [
      ...resolution.declared.flatMap(existingIds),
      ...ends.flatMap((e) => [...existingIds(e.source), ...existingIds(e.target)]),
    ];
    let current = new Map(resolution.declared.flatMap((d) => (d.entity ? [[d.entity.id, d.entity] as const] : [])));
    if (locking) {
      const distinct = [...new Set(touchedEntities)];
      if ((await lockEntities(tx, distinct)) !== distinct.length)
        throw new RetryableConflict('an entity was merged while the document was being resolved');
      current = new Map([...(await entitiesForWrite(tx, resolution.declared.flatMap(existingIds)))].map(([, e]) => [e.id, e]));
    }

    // Entities: new ones, and what the document adds to the others (a new spelling, aliases, evidence).
    const entityStates = new Map<string, { entity: EntityModel; changed: boolean }>();
    const entityOutcomes: EntityOutcomeModel[] = resolution.declared.map((d, i) => {
      const input = declared[i]!;
      if (d.entity === null) {
        const aliases = newNames([input.name], input.aliases ?? []);
        const entity = newEntity(d.id!, input.kind, input.name.trim(), aliases, input.description ?? null, evidenceOf(input.evidence));
        entityStates.set(entity.id, { entity, changed: true });
        return { ref: input.ref, entity, outcome: 'CREATED', matchedBy: null };
      }
      const base = entityStates.get(d.entity.id)?.entity ?? current.get(d.entity.id) ?? d.entity;
      const names = d.matchedBy === 'SPELLING' ? [input.name, ...(input.aliases ?? [])] : (input.aliases ?? []);
      // Stored aliases stay as they are (even two spellings of one key); only names new by their key are added.
      const aliases = [...base.aliases, ...newNames([base.name, ...base.aliases], names)];
      const evidence = newEvidence(base.evidence, evidenceOf(input.evidence));
      const description = base.description ?? input.description ?? null;
      const changed = aliases.length !== base.aliases.length || evidence.length > 0 || description !== base.description;
      const entity = changed ? { ...base, aliases, evidence: [...base.evidence, ...evidence], description } : base;
      entityStates.set(entity.id, { entity, changed: changed || (entityStates.get(entity.id)?.changed ?? false) });
      return { ref: input.ref, entity, outcome: 'MATCHED', matchedBy: d.matchedBy };
    });
    const entityOf = (resolved: ResolvedEntity): EntityModel => {
      const id = entityIdOf(resolved);
      return entityStates.get(id)?.entity ?? current.get(id) ?? resolved.entity!;
    };

    // Facts: the stored ones with the same key, corroborated; the others, created.
    const keys = input.relations.map((relation, i): FactKey & { index: number } => ({
      index: i,
      source: entityIdOf(ends[i]!.source!),
      target: entityIdOf(ends[i]!.target!),
      role: relation.role ?? null,
      share: relation.share ?? null,
      pointInTime: relation.pointInTime ?? null,
      validFrom: relation.validFrom ?? null,
      validTo: relation.validTo ?? null,
    }));
    const stored = new Map<number, RelationModel>();
    for (const type of new Set(input.relations.map((r) => r.type))) {
      const ofType = keys.filter((k) => input.relations[k.index]!.type === type);
      for (const found of await factsByKey(tx, type, ofType)) if (!stored.has(found.index)) stored.set(found.index, found.relation);
    }
    const facts = new Map<string, FactPlan>();
    const planOf = input.relations.map((relation, i) => {
      const key = factKeyOf(relation.type, keys[i]!);
      let plan = facts.get(key);
      if (!plan) {
        const existing = stored.get(i);
        const claimant = ends[i]!.claimant;
        plan = existing
          ? { key, relation: existing, outcome: 'UNCHANGED' }
          : { key, relation: newFact(factIdOf(key), relation, keys[i]!, claimant ? entityIdOf(claimant) : null), outcome: 'CREATED' };
        facts.set(key, plan);
      }
      const added = newEvidence(plan.relation.evidence, evidenceOf(relation.evidence));
      if (added.length > 0) {
        plan.relation = { ...plan.relation, evidence: [...plan.relation.evidence, ...added] };
        if (plan.outcome === 'UNCHANGED') plan.outcome = 'CORROBORATED';
      }
      return plan;
    });
    // Every outcome shows its fact's final state, with both ends as this ingestion leaves them.
    const relationOutcomes: RelationOutcomeModel[] = planOf.map((plan, i) => ({
      relation: { ...plan.relation, ends: { source: entityOf(ends[i]!.source!), target: entityOf(ends[i]!.target!) } },
      outcome: plan.outcome,
    }));
    for (const outcome of entityOutcomes) outcome.entity = entityStates.get(outcome.entity.id)?.entity ?? outcome.entity;

    const writtenEntities = [...entityStates.values()].filter((s) => s.changed).map((s) => s.entity);
    const writtenFacts = [...facts.values()].filter((f) => f.outcome !== 'UNCHANGED');
    const anything = created || writtenEntities.length > 0 || writtenFacts.length > 0;
    const change: ChangeModel | null = anything
      ? {
          id: changeId(at),
          at,
          operation: 'INGEST_DOCUMENT',
          actor,
          documentId,
          entityIds: [...new Set([...entityOutcomes.map((o) => o.entity.id), ...keys.flatMap((k) => [k.source, k.target])])].sort(),
          relationIds: [...new Set(writtenFacts.map((f) => f.relation.id))].sort(),
          summary: summaryOf(document.title, entityOutcomes, relationOutcomes, created),
        }
      : null;

    const result: IngestResultModel = { document, created, entities: entityOutcomes, relations: relationOutcomes, change };
    const write = async () => {
      if (!change) return;
      // What this ingestion decided to create is created, never merged: if another transaction created it
      // first, the unique constraint fails this one, which runs again and finds it.
      if (created) await writeDocuments(tx, [documentRow(document)], 'create');
      const isNew = (entity: EntityModel) => entityOutcomes.some((o) => o.outcome === 'CREATED' && o.entity.id === entity.id);
      await writeEntities(tx, writtenEntities.filter(isNew).map(entityRow), 'create');
      await writeEntities(tx, writtenEntities.filter((e) => !isNew(e)).map(entityRow));
      this.options.faultInjection?.('after-entities');
      const fresh = writtenFacts.filter((f) => f.outcome === 'CREATED').map((f) => relationRow(f.relation));
      const corroborated = writtenFacts.filter((f) => f.outcome === 'CORROBORATED').map((f) => relationRow(f.relation));
      // The keys were looked up under the locks just taken: a created fact's id is known to be free.
      await writeRelations(tx, fresh, { knownEmpty: true });
      await writeRelations(tx, corroborated);
      await appendChange(tx, change);
    };
    return { result, write };
  }
}

/** The names of `candidates` not known by their key among `known` (nor twice among themselves), in order. */
function newNames(known: readonly string[], candidates: readonly string[]): string[] {
  const seen = new Set(known.map(nameKey));
  const kept: string[] = [];
  for (const candidate of candidates) {
    const key = nameKey(candidate);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    kept.push(candidate.trim());
  }
  return kept;
}

function newEntity(
  id: string,
  kind: EntityModel['kind'],
  name: string,
  aliases: string[],
  description: string | null,
  evidence: EvidenceModel[],
): EntityModel {
  return {
    id,
    kind,
    name,
    aliases,
    description,
    evidence,
    attributes: [],
    agreedShare: null,
    termYears: null,
    condition: null,
    status: null,
    eventType: null,
    startDate: null,
    endDate: null,
    reportedSize: null,
    minimumMemberCount: null,
  };
}

function newFact(id: string, input: RelationInput, key: FactKey, claimedById: string | null): RelationModel {
  return {
    id,
    type: input.type,
    sourceId: key.source,
    targetId: key.target,
    role: key.role,
    share: key.share,
    approximate: input.approximate ?? false,
    pointInTime: key.pointInTime,
    validFrom: key.validFrom,
    validTo: key.validTo,
    rank: input.rank ?? 'NORMAL',
    modality: input.modality ?? 'ASSERTED',
    claimedById,
    evidence: [],
    deprecationReason: null,
    deprecatedAt: null,
    supersededById: null,
  };
}

function summaryOf(
  title: string,
  entities: readonly EntityOutcomeModel[],
  relations: readonly RelationOutcomeModel[],
  created: boolean,
): string {
  const count = <T>(items: readonly T[], pick: (item: T) => string, value: string) => items.filter((i) => pick(i) === value).length;
  const facts = new Map(relations.map((r) => [r.relation.id, r.outcome]));
  const outcomes = [...facts.values()];
  return (
    `${created ? 'Added' : 'Re-read'} "${title}": ` +
    `${count(entities, (e) => e.outcome, 'CREATED')} entities created, ${count(entities, (e) => e.outcome, 'MATCHED')} matched; ` +
    `${count(outcomes, (o) => o, 'CREATED')} facts created, ${count(outcomes, (o) => o, 'CORROBORATED')} corroborated, ` +
    `${count(outcomes, (o) => o, 'UNCHANGED')} unchanged.`
  );
}
