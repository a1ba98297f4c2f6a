import type { EntityKind } from '../generated/graphql';
import type { EntityModel, AttributeStatementModel } from '../models/entity';
import type { RequestDb } from './requestDb';
import { evidenceFromStored, num, str, type Props } from './records';
import { entityProjection } from './projection';

export function entityFromProps(props: Props): EntityModel {
  return {
    id: props.id as string,
    kind: props.kind as EntityKind,
    name: props.name as string,
    aliases: (props.aliases as string[] | undefined) ?? [],
    description: str(props.description),
    evidence: evidenceFromStored(props),
    attributes: typeof props.attributesJson === 'string' ? (JSON.parse(props.attributesJson) as AttributeStatementModel[]) : [],
    agreedShare: num(props.agreedShare),
    termYears: num(props.termYears),
    condition: str(props.condition),
    status: str(props.status),
    eventType: str(props.eventType),
    startDate: str(props.startDate),
    endDate: str(props.endDate),
    reportedSize: str(props.reportedSize),
    minimumMemberCount: num(props.minimumMemberCount),
  };
}

/** Loads entities by id in one round trip; the result is aligned with `ids`, null where none exists. */
export async function entitiesByIds(db: RequestDb, ids: readonly string[]): Promise<(EntityModel | null)[]> {
  const rows = await db.read<{ e: Props }>(`MATCH (e:Entity) WHERE e.id IN $ids RETURN ${entityProjection('e', db.projection)} AS e`, { ids: [...ids] });
  const byId = new Map(rows.map((row) => [row.e.id as string, entityFromProps(row.e)]));
  return ids.map((id) => byId.get(id) ?? null);
}
