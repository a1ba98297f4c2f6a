/**
 * Corrections without loss: deprecating a fact, superseding it with another, and merging a duplicate
 * entity into the one kept. Nothing is deleted: a deprecated fact stays readable with
 * `includeDeprecated: true`, and a merged entity stays as a redirect. Each is one transaction that locks
 * the entities it changes (and both ends of every fact it changes) in id order before reading them, and
 * appends one `Change`. Doing one twice changes nothing the second time.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { ChangeModel } from '../models/change';
import type { EntityModel, AttributeStatementModel } from '../models/entity';
import type { EvidenceModel } from '../models/evidence';
import type { RelationModel } from '../models/relation';
import type { Neo4jClient } from '../db/neo4jClient';
import { appendChange } from '../data/changes';
import { claimsBy, entitiesForWrite, factsForWrite, factsOfEntity, lockEntities, removeForMove, retireEntity } from '../data/ingestion';
import { entityRow, relationRow, writeEntities, writeRelations } from '../data/writer';
import { badUserInput, invalidInput, notFound } from '../errors';
import { nameKey } from '../models/names';
import { changeId, nowIso, RetryableConflict, withConflictRetries } from './ingest';
import { reasonProblems } from './validate';

export interface CorrectionsOptions {
  onChange?: (change: ChangeModel) => void;
}

const sameFact = (a: RelationModel, b: RelationModel) =>
  a.type === b.type &&
  a.sourceId === b.sourceId &&
  a.targetId === b.targetId &&
  a.role === b.role &&
  a.share === b.share &&
  a.pointInTime === b.pointInTime &&
  a.validFrom === b.validFrom &&
  a.validTo === b.validTo;

function unionEvidence(a: readonly EvidenceModel[], b: readonly EvidenceModel[]): EvidenceModel[] {
  const seen = new Set(a.map((e) => `${e.documentId}\u0000${e.quote}`));
  return [...a, ...b.filter((e) => !seen.has(`${e.documentId}\u0000${e.quote}`) && seen.add(`${e.documentId}\u0000${e.quote}`))];
}

export class Corrections {
  constructor(
    private readonly client: Neo4jClient,
    private readonly options: CorrectionsOptions = {},
  ) {}

  private async commit<T>(work: (tx: ManagedTransaction, at: string) => Promise<{ value: T; change: ChangeModel | null }>): Promise<T> {
    const { value, change } = await withConflictRetries(() =>
      this.client.writeTransaction(async (tx) => {
        const done = await work(tx, nowIso());
        if (done.change) await appendChange(tx, done.change);
        return done;
      }),
    );
    if (change) this.options.onChange?.(change);
    return value;
  }

  /** A fact by id, after locking both its ends; NOT_FOUND when there is none. */
  private async lockedFacts(tx: ManagedTransaction, ids: readonly string[]): Promise<RelationModel[]> {
    const before = await factsForWrite(tx, ids);
    const missing = ids.filter((id) => !before.has(id));
    if (missing.length > 0) throw notFound(`No fact has the id "${missing[0]}".`);
    const ends = [...before.values()].flatMap((r) => [r.sourceId, r.targetId]);
    if ((await lockEntities(tx, ends)) !== new Set(ends).size) throw new RetryableConflict('an end of the fact was merged meanwhile');
    const after = await factsForWrite(tx, ids);
    return ids.map((id) => {
      const fact = after.get(id);
      if (!fact) throw new RetryableConflict(`fact ${id} moved while being locked`);
      return fact;
    });
  }

  async deprecate(id: string, reason: string, actor: string): Promise<RelationModel> {
    const problems = reasonProblems('reason', reason, true);
    if (problems.length > 0) throw invalidInput(problems);
    return this.commit(async (tx, at) => {
      const [fact] = await this.lockedFacts(tx, [id]);
      if (fact!.rank === 'DEPRECATED') return { value: fact!, change: null };
      const deprecated: RelationModel = { ...fact!, rank: 'DEPRECATED', deprecationReason: reason.trim(), deprecatedAt: at };
      await writeRelations(tx, [relationRow(deprecated)]);
      return {
        value: deprecated,
        change: {
          id: changeId(at),
          at,
          operation: 'DEPRECATE_RELATION',
          actor,
          documentId: null,
          entityIds: [...new Set([fact!.sourceId, fact!.targetId])].sort(),
          relationIds: [id],
          summary: `Deprecated ${fact!.type} fact ${id} (${fact!.sourceId} → ${fact!.targetId}): ${reason.trim()}`,
        },
      };
    });
  }

  async supersede(id: string, byId: string, reason: string | null | undefined, actor: string): Promise<RelationModel> {
    const problems = reasonProblems('reason', reason, false);
    if (problems.length > 0) throw invalidInput(problems);
    if (id === byId) throw badUserInput('A fact cannot supersede itself: give the id of the fact that replaces it as byId.', 'byId');
    return this.commit(async (tx, at) => {
      const [old, replacement] = await this.lockedFacts(tx, [id, byId]);
      if (old!.rank === 'DEPRECATED' && old!.supersededById === byId) return { value: old!, change: null };
      const why = reason?.trim() || `Superseded by ${byId}.`;
      const superseded: RelationModel = { ...old!, rank: 'DEPRECATED', supersededById: byId, deprecationReason: why, deprecatedAt: at };
      await writeRelations(tx, [relationRow(superseded)]);
      return {
        value: superseded,
        change: {
          id: changeId(at),
          at,
          operation: 'SUPERSEDE_RELATION',
          actor,
          documentId: null,
          entityIds: [...new Set([old!.sourceId, old!.targetId, replacement!.sourceId, replacement!.targetId])].sort(),
          relationIds: [id, byId],
          summary: `Superseded ${old!.type} fact ${id} by ${byId}: ${why}`,
        },
      };
    });
  }

  /**
   * Moves every fact, alias and piece of evidence of `duplicateId` onto `keepId`, which also takes the
   * duplicate's name as an alias, its attributes it lacks, and its description if it has none. The
   * duplicate becomes a redirect. A moved fact equal to one the kept entity has already corroborates that
   * one and is kept, deprecated, pointing at it; a fact between the two becomes a loop, deprecated.
   */
  async merge(keepId: string, duplicateId: string, reason: string, actor: string): Promise<EntityModel> {
    const problems = reasonProblems('reason', reason, true);
    if (problems.length > 0) throw invalidInput(problems);
    if (keepId === duplicateId) throw badUserInput('An entity cannot be merged into itself.', 'duplicateId');
    return this.commit(async (tx, at) => {
      const found = await entitiesForWrite(tx, [keepId, duplicateId]);
      const keep = found.get(keepId);
      const duplicate = found.get(duplicateId);
      if (!keep) throw notFound(`No entity has the id "${keepId}".`);
      if (!duplicate) throw notFound(`No entity has the id "${duplicateId}".`);
      // Merged before (a retry, or a second call): the duplicate already redirects to the kept entity.
      if (duplicate.id === keep.id) return { value: keep, change: null };
      if (keep.kind !== duplicate.kind)
        throw badUserInput(`"${keepId}" is a ${keep.kind} and "${duplicateId}" a ${duplicate.kind}: only entities of one kind merge.`);

      const facts = await factsOfEntity(tx, duplicate.id);
      const neighbours = [keep.id, duplicate.id, ...facts.flatMap((f) => [f.sourceId, f.targetId])];
      if ((await lockEntities(tx, neighbours)) !== new Set(neighbours).size) throw new RetryableConflict('an entity was merged meanwhile');
      const current = await entitiesForWrite(tx, [keep.id, duplicate.id]);
      const [kept, dup] = [current.get(keep.id)!, current.get(duplicate.id)!];
      if (dup.id !== duplicate.id) throw new RetryableConflict('the duplicate was merged meanwhile');
      const moving = await factsOfEntity(tx, dup.id);
      const keptFacts = await factsOfEntity(tx, kept.id);

      const attributes = mergedAttributes(kept, dup);
      const merged: EntityModel = {
        ...kept,
        aliases: mergedNames(kept.name, [...kept.aliases, dup.name, ...dup.aliases]),
        evidence: unionEvidence(kept.evidence, dup.evidence),
        attributes,
        description: kept.description ?? dup.description,
      };

      const moved: RelationModel[] = [];
      const corroborated = new Map<string, RelationModel>();
      for (const fact of moving) {
        const relink = (id: string) => (id === dup.id ? kept.id : id);
        let next: RelationModel = { ...fact, sourceId: relink(fact.sourceId), targetId: relink(fact.targetId), ends: undefined };
        if (next.sourceId === next.targetId) {
          next = {
            ...next,
            rank: 'DEPRECATED',
            deprecationReason: `Merged: ${dup.id} and ${kept.id} are one entity, so this fact links it to itself.`,
            deprecatedAt: at,
          };
        } else {
          const twin = keptFacts.find((k) => k.id !== fact.id && sameFact(k, next));
          if (twin) {
            const base = corroborated.get(twin.id) ?? twin;
            corroborated.set(twin.id, { ...base, evidence: unionEvidence(base.evidence, fact.evidence) });
            if (next.rank !== 'DEPRECATED') {
              next = {
                ...next,
                rank: 'DEPRECATED',
                supersededById: twin.id,
                deprecationReason: `Merged into ${twin.id}, the same fact of ${kept.id}.`,
                deprecatedAt: at,
              };
            }
          }
        }
        moved.push(next);
      }
      // Claims made by the duplicate are now the kept entity's.
      const claims = await claimsBy(tx, dup.id);
      const claimed = [...(await factsForWrite(tx, claims.facts)).values()]
        .filter((f) => !moving.some((m) => m.id === f.id))
        .map((f) => ({ ...f, claimedById: kept.id }));
      for (const f of moved) if (f.claimedById === dup.id) f.claimedById = kept.id;
      const claimants = [
        ...(
          await entitiesForWrite(
            tx,
            claims.entities.filter((id) => id !== dup.id && id !== kept.id),
          )
        ).values(),
      ].map((e) => ({
        ...e,
        attributes: e.attributes.map((a) => (a.claimedById === dup.id ? { ...a, claimedById: kept.id } : a)),
      }));
      if (merged.attributes.some((a) => a.claimedById === dup.id))
        merged.attributes = merged.attributes.map((a) => (a.claimedById === dup.id ? { ...a, claimedById: kept.id } : a));

      await removeForMove(
        tx,
        moving.map((f) => f.elementId),
      );
      await retireEntity(tx, dup.id, kept.id, reason.trim(), at);
      await writeEntities(tx, [merged, ...claimants].map(entityRow));
      await writeRelations(tx, moved.map(relationRow), { knownEmpty: true });
      await writeRelations(tx, [...corroborated.values(), ...claimed].map(relationRow));
      return {
        value: merged,
        change: {
          id: changeId(at),
          at,
          operation: 'MERGE_ENTITIES',
          actor,
          documentId: null,
          entityIds: [...new Set([kept.id, dup.id, ...moved.flatMap((f) => [f.sourceId, f.targetId])])].sort(),
          relationIds: [...new Set([...moved.map((f) => f.id), ...corroborated.keys(), ...claimed.map((f) => f.id)])].sort(),
          summary: `Merged ${dup.id} ("${dup.name}") into ${kept.id} ("${kept.name}"): ${moved.length} facts moved. ${reason.trim()}`,
        },
      };
    });
  }
}

/** The names an entity is known by besides its own, once each by key. */
function mergedNames(name: string, names: readonly string[]): string[] {
  const seen = new Set([nameKey(name)]);
  return names.filter((n) => {
    const key = nameKey(n);
    if (key === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The kept entity's attribute statements, with the duplicate's for attributes it lacks and the
 * duplicate's evidence for values they agree on. A value they disagree on refuses the merge: it would
 * lose one of two sourced values.
 */
function mergedAttributes(kept: EntityModel, dup: EntityModel): AttributeStatementModel[] {
  const result = kept.attributes.map((a) => ({ ...a }));
  for (const attribute of dup.attributes) {
    const same = result.find((a) => a.name === attribute.name);
    if (!same) result.push(attribute);
    else if (JSON.stringify(same.value) === JSON.stringify(attribute.value))
      same.evidence = unionEvidence(same.evidence, attribute.evidence);
    else {
      throw badUserInput(
        `"${kept.id}" and "${dup.id}" disagree on ${attribute.name} (${JSON.stringify(same.value)} and ${JSON.stringify(attribute.value)}): correct one before merging.`,
        'duplicateId',
      );
    }
  }
  return result;
}
